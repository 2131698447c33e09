"""Changing a report's status: one page per change, asking for what that change needs (a reason, an
agency, an outcome) and the notes; changes the workflow does not allow are refused."""
from flask import abort, flash, g, redirect, request, url_for

from kiosk.i18n import gettext as _

from .. import choices, regions
from .. import deadlines
from ..deadlines import today
from ..elections import rules_of
from ..web import render
from .blueprint import bp
from .access import own_report
from .decision_forms import status_form
from .workflow import NotAllowed, change_status, refusal


def _page(report, target, form, problem=None, status=200):
    """The status-change page for `target`: the form, or why the change is refused."""
    rules = rules_of(report)
    return render("staff/status.html", status=status, report=report, target=target, form=form, problem=problem,
                  title=_("Change the status to “%(status)s”", status=choices.STATUSES[target]),
                  completion_due=deadlines.completion_due(today(), rules),
                  decision_due=deadlines.decision_due(today(), rules), decision_days=rules.decision_days,
                  decision_working=rules.decision_working)


@bp.route("/laporan/<uuid:report_id>/status/<target>", methods=["GET", "POST"])
def change(report_id, target):
    """Ask for what a change to `target` needs, then make it; 409 when the workflow refuses it."""
    report = own_report(report_id)
    if target not in choices.STATUSES:
        abort(404)
    form = status_form(target, request.form if request.method == "POST" else None, report)
    problem = refusal(report, target)
    if problem:
        return _page(report, target, form, problem=problem, status=409)
    if request.method == "GET" or not form.validate():
        return _page(report, target, form, status=200 if request.method == "GET" else 400)
    try:
        report = change_status(report, target, g.staff, form.data)
    except NotAllowed as refused:  # another member of staff changed it meanwhile
        return _page(report, target, form, problem=refused.message, status=409)
    message = _("The status is now “%(status)s”.", status=choices.STATUSES[target])
    if target == "diregistrasi":
        message += " " + _("Registration number: %(number)s.", number=report.registration_no)
    if target == "dilimpahkan":
        message += " " + _("The office's next sync brings it to the hub for %(office)s.",
                           office=regions.office_name(report.transfer_office))
    flash(message, "success")
    return redirect(url_for("staff.report", report_id=report.id), code=303)
