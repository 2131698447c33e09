"""The pages of the phone upload (kiosk.lapor.phone): the visitor's phone opens the kiosk's QR link and sends
files; the kiosk's evidence step asks, by htmx polling or a plain reload, what has arrived."""
from flask import abort, current_app, redirect, request, url_for

from kiosk.i18n import gettext as _

from .. import guards
from ..inputs import takes_files
from ..web import render
from . import drafts, phone
from .blueprint import bp
from .lists import keep_uploads


def _phone_page(link, status=200, errors=(), sent=None):
    """The phone's page: the file picker while the draft has room, what was sent, and any refusal."""
    return render("lapor/phone.html", status=status, room=phone.room_left(link) if link else 0, link=link,
                  errors=list(errors), sent=sent, max_mb=current_app.config["UPLOAD_MAX_MB"],
                  title=_("Send photos to the kiosk"))


@bp.route("/unggah/<token>", methods=["GET", "POST"])
@takes_files
@guards.phone_limit
def phone_upload(token):
    """The visitor's phone: pick photos and videos for the report being written at the kiosk. A link that
    expired, ended with the visit or never was gets a page that says so (410), whatever the token."""
    link = phone.find(token)
    if link is None:
        return _phone_page(None, status=410)
    if request.method == "GET":
        sent = request.args.get("terkirim", "")
        return _phone_page(link, sent=int(sent) if sent.isascii() and sent.isdigit() and len(sent) < 3 else None)
    uploads = [upload for upload in request.files.getlist("files") if upload and upload.filename]
    if not uploads:
        return _phone_page(link, status=400, errors=[_("Choose at least one photo or video first.")])
    stored, errors, status = keep_uploads(uploads, phone.room_left(link))
    if errors:
        return _phone_page(link, status=status, errors=errors)
    if not phone.keep(token, stored):
        return _phone_page(None, status=410)
    return redirect(url_for("lapor.phone_upload", token=token, terkirim=len(stored)), code=303)


@bp.get("/bukti/berkas")
def evidence_files():
    """For the kiosk's polling: the list of files once it differs from the `n` files the page shows (204
    while nothing came; 286, htmx's 'stop polling', once the draft is gone)."""
    draft = drafts.current()
    if draft is None:
        return "", 286
    added = phone.collect(draft)
    shown = request.args.get("n", "")
    if not added and shown.isascii() and shown.isdigit() and int(shown) == len(draft.data["evidence"]):
        return "", 204
    if request.headers.get("HX-Request") != "true":
        abort(404)  # the page itself is /lapor/bukti
    return render("lapor/_evidence_files.html", data=draft.data, action=url_for("lapor.bukti"), arrived=added,
                  phone_polling=True)
