"""A report transferred to another office (kiosk.transfers) stays at the sending office as it was when it left:
nothing posted about it changes it."""
from flask import flash, request

from kiosk.i18n import gettext as _

from .. import regions
from ..models import Report
from .blueprint import bp
from .report import show


@bp.before_request
def transferred_is_read_only():
    """Refuse (409: the report page, saying why) every change posted about a report transferred away from here;
    a status change is the workflow's to refuse (it allows none)."""
    report_id = (request.view_args or {}).get("report_id")
    if request.method != "POST" or report_id is None or request.endpoint == "staff.change":
        return None
    report = Report.get_or_none(Report.id == report_id)
    if report is None or report.status != "dilimpahkan":
        return None
    flash(_("This report was transferred to %(office)s: its copy here is read-only.",
            office=regions.office_name(report.transfer_office)), "error")
    return show(report, status=409)
