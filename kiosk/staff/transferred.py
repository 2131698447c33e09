"""A report transferred to another office (kiosk.transfers) stays at the sending office as it was when it left:
nothing posted about it changes it."""
from flask import flash, redirect, request, url_for

from kiosk.i18n import gettext as _

from .. import regions
from ..models import Report
from .blueprint import bp


@bp.before_request
def transferred_is_read_only():
    """Refuse (back to the report, with why) every change posted about a report transferred away from here."""
    report_id = (request.view_args or {}).get("report_id")
    if request.method != "POST" or report_id is None:
        return None
    report = Report.get_or_none(Report.id == report_id)
    if report is None or report.status != "dilimpahkan":
        return None
    flash(_("This report was transferred to %(office)s: its copy here is read-only.",
            office=regions.office_name(report.transfer_office)), "error")
    return redirect(url_for("staff.report", report_id=report.id), code=303)
