"""Display preferences: text size (three steps) and a high-contrast theme, kept for the session
(on a kiosk, until the visit is reset)."""
from flask import Blueprint, redirect, request, session, url_for

from .i18n import page_url, safe_next

bp = Blueprint("display", __name__)
TEXT_SIZES = (1, 2, 3)
TEXT_KEY, CONTRAST_KEY = "text", "contrast"
SESSION_KEYS = (TEXT_KEY, CONTRAST_KEY)  # the session's display preferences


@bp.get("/tampilan")
def choose():
    """Set the text size (`teks`) and/or contrast (`kontras`), then return to the page."""
    size = request.args.get("teks", type=int)
    if size in TEXT_SIZES:
        session[TEXT_KEY] = size
    if request.args.get("kontras") in ("0", "1"):
        session[CONTRAST_KEY] = request.args["kontras"] == "1"
    return redirect(safe_next(request.args.get("next")), code=303)


def classes():
    """The classes on <html> for this session's display: text size, contrast."""
    names = []
    if session.get(TEXT_KEY, 1) in (2, 3):
        names.append(f"text-{session[TEXT_KEY]}")
    if session.get(CONTRAST_KEY):
        names.append("contrast")
    return " ".join(names)


def links():
    """For the display controls on every page: (label key, url, current) for each choice."""
    here = page_url()
    size = session.get(TEXT_KEY, 1)
    contrast = bool(session.get(CONTRAST_KEY))
    sizes = [(n, url_for("display.choose", teks=n, next=here), n == size) for n in TEXT_SIZES]
    toggle = url_for("display.choose", kontras="0" if contrast else "1", next=here)
    return {"sizes": sizes, "contrast": contrast, "contrast_url": toggle}
