"""The papers of a report (kiosk.papers makes them) at `/staff/laporan/<id>/cetak/<paper>` and its `/pdf`, and
the year's register book at `/staff/register`; each opening is written to the audit log."""
import datetime as dt

from flask import abort, current_app, request, url_for

from kiosk.i18n import gettext as _

from .. import choices, elections, regions
from ..db import writing
from ..papers import PAPERS, PaperNumber, deliver
from ..deadlines import today
from ..models import Counter, Report, StatusEvent
from ..numbering import ROMAN_MONTHS
from . import audit, people
from .access import own_report
from .blueprint import bp

NOTICES = {"pemberitahuan": "PS", "kelengkapan": "PK"}  # the letter code in a notice's number


def papers_of(report):
    """The papers this report can have now: {code: label}."""
    have = {"tanda-bukti", "pemberitahuan"} | ({"b1"} if report.kind == "formal" else set())
    if report.kajian_checks is not None:
        have.add("kajian")
    if report.completion_due:
        have.add("kelengkapan")
    return {code: label for code, label in PAPERS.items() if code in have}


def notice_number(report, paper, event):
    """The notice's number and date, e.g. ('003/PS/36.73/XII/2026', date): given at its first printing."""
    with writing():
        found = PaperNumber.get_or_none((PaperNumber.office_code == report.office_code)
                                        & (PaperNumber.paper == paper) & (PaperNumber.event_id == event.id.hex))
        if found is None:
            on = today()
            seq = Counter.next(f"paper:{paper}:{report.office_code}:{on.year}")
            number = f"{seq:03d}/{NOTICES[paper]}/{report.office_code}/{ROMAN_MONTHS[on.month - 1]}/{on.year}"
            found = PaperNumber.create(office_code=report.office_code, paper=paper, event_id=event.id.hex,
                                       number=number, issued_on=on)
    return found.number, found.issued_on


def _context(report, paper):
    """What the paper's template shows."""
    events = list(report.events.order_by(StatusEvent.at, StatusEvent.change_seq))
    context = {"report": report, "office": regions.office_name(report.office_code), "events": events,
               "sealed": people.opened(report), "election": elections.election_of(report),
               "rules": elections.rules_of(report), "printed_on": today(),
               "region_office": regions.office_name, "transfer_reasons": choices.TRANSFER_REASONS}
    if paper in NOTICES:
        event = next((e for e in reversed(events) if e.status == "perlu_dilengkapi"), None) \
            if paper == "kelengkapan" else events[-1]
        if event is None:
            abort(404)
        context.update(event=event, number=notice_number(report, paper, event))
    return context


@bp.get("/laporan/<uuid:report_id>/cetak/<paper>")
@bp.get("/laporan/<uuid:report_id>/cetak/<paper>/<fmt>")
def paper(report_id, paper, fmt="html"):
    """One of the report's papers, to print or as a PDF file."""
    report = own_report(report_id)
    if paper not in papers_of(report) or fmt not in ("html", "pdf"):
        abort(404)
    context = _context(report, paper)
    if context["sealed"] is None and paper in ("b1", "pemberitahuan", "kelengkapan"):
        abort(403)  # it holds the reporter's data, and this session cannot open it
    audit.record("print_paper", target=report.receipt_no, paper=paper, format=fmt)
    name = f"{paper}-{report.receipt_no.replace('/', '-')}.pdf"
    links = {"back_url": url_for("staff.report", report_id=report.id), "back_label": _("Back to the report"),
             "pdf_url": url_for("staff.paper", report_id=report.id, paper=paper, fmt="pdf")}
    return deliver(f"papers/{paper}.html", dict(context, paper=paper, title=PAPERS[paper], **links), name, fmt)


@bp.get("/register")
@bp.get("/register/<fmt>")
def register(fmt="html"):
    """The register book of a year (buku register): one line per registered report, in number order."""
    from .access import offices_in_view

    if fmt not in ("html", "pdf"):
        abort(404)
    year = request.args.get("tahun", type=int) or today().year
    if not 2000 <= year <= today().year + 1:
        abort(404)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = list(Report.select().where(Report.office_code.in_(offices_in_view())
                                      & Report.registered_on.between(start, end))
                .order_by(Report.registered_on, Report.registration_no))
    audit.record("print_paper", target=str(year), paper="register", format=fmt)
    office = regions.office_name(current_app.config["OFFICE_CODE"])
    links = {"back_url": url_for("staff.index"), "back_label": _("Back to the work"),
             "pdf_url": url_for("staff.register", fmt="pdf", tahun=year)}
    return deliver("papers/register.html", {"rows": rows, "year": year, "office": office, "printed_on": today(),
                                            "title": _("Register book %(year)d", year=year), "paper": "register",
                                            **links}, f"register-{year}.pdf", fmt)



