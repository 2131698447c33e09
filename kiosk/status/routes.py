"""The status lookup: the public timeline of a report, never the reporter's personal data."""
from flask import redirect, request, url_for

from kiosk.i18n import lazy_gettext as _l

from .. import guards, regions, tracking
from ..models import Report
from ..web import render
from .blueprint import bp

PROBLEMS = {
    "empty": _l("Enter the 16-digit tracking code from your receipt."),
    "format": _l("Check the code: it has 16 digits, and one of them is not right."),
    "unknown": _l("No report has this tracking code. Check it against your receipt."),
}


@bp.get("/status")
@guards.status_limit
def lookup():
    """Look a report up by its tracking code (a GET form, so the receipt's QR code can link here)."""
    typed = request.args.get("kode")
    if typed is None:
        return render("status/lookup.html", typed="", problem=None, report=None)
    digits = tracking.digits_of(typed)
    problem, report = None, None
    if not digits:
        problem = "empty"
    elif not tracking.is_well_formed(digits):
        problem = "format"
    else:
        report = Report.by_tracking_code(digits)
        problem = None if report else "unknown"
    return render("status/lookup.html", typed=typed[:40], problem=problem,
                  message=PROBLEMS.get(problem), report=report,
                  office=regions.office_name(report.office_code) if report else "",
                  events=list(report.public_events()) if report else [])


@bp.get("/S/<code>")
def short(code):
    """The receipt's QR code leads here (capitals and digits make a smaller code): on to the status."""
    return redirect(url_for("status.lookup", kode=tracking.dashed(tracking.digits_of(code))),
                    code=303)
