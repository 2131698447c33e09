"""Assisted entry: staff type in a walk-in's paper report with the citizen's own form. The report gets
the same receipt; its way in is 'assisted'. Only this office's own staff file reports into it."""
from flask import abort, current_app, g, redirect, request, url_for

from kiosk.i18n import gettext as _

from .. import choices
from ..lapor import drafts
from ..web import render
from . import audit
from .blueprint import bp


@bp.route("/bantu", methods=["GET", "POST"])
def assisted():
    """Choose a formal report or a tip, then go through the report's steps on the walk-in's behalf; 403 for
    an account of another office (its report would be filed as this office's)."""
    if g.staff.office_code != current_app.config["OFFICE_CODE"]:
        abort(403)
    if request.method == "POST":
        kind = request.form.get("kind")
        if kind not in choices.KINDS:
            abort(400)
        drafts.forget()  # a report left half-typed here earlier is not continued by mistake
        drafts.start(kind, channel="assisted")
        audit.record("assisted_start", kind=kind)
        return redirect(url_for("lapor.kejadian"), code=303)
    return render("staff/assisted.html", title=_("Type in a paper report"), draft=drafts.current())
