"""Who works on a report: a petugas takes it (or gives it back), an admin assigns it to anyone of the office.
Every change is written to the audit log."""
from flask import abort, flash, g, redirect, request, url_for

from kiosk.i18n import gettext as _

from ..db import writing
from ..models import Report, utcnow
from . import audit
from .access import own_report
from .blueprint import bp
from .models import Staff


def assignable(office_code):
    """The usernames a report of the office may be assigned to: its active accounts."""
    return [account.username for account in Staff.of_office(office_code) if account.active]


@bp.post("/laporan/<uuid:report_id>/tugas")
def assign(report_id):
    """Assign the report to the account chosen (an admin), or to oneself; '' gives it back."""
    report = own_report(report_id)
    wanted = (request.form.get("assignee") or "").strip()
    if wanted and wanted not in assignable(report.office_code):
        abort(400)
    mine_to_change = wanted in ("", g.staff.username) and report.assigned_to in ("", g.staff.username)
    if not (g.staff.is_admin or mine_to_change):
        abort(403)  # a petugas takes a free report or gives back their own, never someone else's
    with writing():
        report = Report.get_by_id(report.id)
        previous, report.assigned_to, report.updated_at = report.assigned_to, wanted, utcnow()
        report.save()
        audit.record("assign", target=report.receipt_no, **{"from": previous, "to": wanted})
    flash(_("Assigned to %(user)s.", user=wanted) if wanted else _("No one is assigned now."), "success")
    return redirect(url_for("staff.report", report_id=report.id), code=303)
