"""The official papers staff print for the file, as A4 pages and as PDF files (WeasyPrint, from the same
templates): the filled-in Formulir Laporan (Model B.1) with signature boxes, the tanda bukti penyampaian
laporan, the kajian awal sheet, the status notice (Formulir Model A.17 for a Pilkada), the completion notice
and the year's register book. They are always in Indonesian, made in memory and never stored; each opening
is written to the audit log."""
import datetime as dt
import io
import logging
from pathlib import Path

import peewee as pw
from flask import abort, current_app, request, send_file, url_for

from kiosk.i18n import gettext as _
from kiosk.i18n import speaking
from kiosk.i18n import lazy_gettext as _l

from .. import elections, regions
from ..db import BaseModel, writing
from ..deadlines import today
from ..models import Counter, Report, StatusEvent
from ..numbering import ROMAN_MONTHS
from ..web import render
from . import audit, people
from .access import own_report
from .blueprint import bp

STYLESHEET = Path(__file__).resolve().parent.parent.parent / "static" / "papers.css"
PAPERS = {
    "b1": _l("Report form (Model B.1)"),
    "tanda-bukti": _l("Signed receipt (tanda bukti penyampaian laporan)"),
    "kajian": _l("Initial review sheet (kajian awal)"),
    "pemberitahuan": _l("Status notice to the reporter"),
    "kelengkapan": _l("Completion notice"),
}
NOTICES = {"pemberitahuan": "PS", "kelengkapan": "PK"}  # the letter code in a notice's number
logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its progress lines, one per step of every paper


class PaperNumber(BaseModel):
    """The number a notice was given when first printed: printed again, it keeps it."""

    office_code = pw.CharField()
    paper = pw.CharField()
    event_id = pw.CharField()  # the status event the notice tells of
    number = pw.CharField()
    issued_on = pw.DateField()

    class Meta:
        table_name = "paper_number"
        indexes = ((("office_code", "paper", "event_id"), True),)


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
               "rules": elections.rules_of(report), "printed_on": today()}
    if paper in NOTICES:
        event = next((e for e in reversed(events) if e.status == "perlu_dilengkapi"), None) \
            if paper == "kelengkapan" else events[-1]
        if event is None:
            abort(404)
        context.update(event=event, number=notice_number(report, paper, event))
    return context


def _refuse_url(url):
    """A paper fetches nothing: its stylesheet is given, it has no images from anywhere."""
    raise ValueError(f"papers fetch nothing ({url[:40]})")


def pdf_of(html):
    """The PDF of a paper's HTML, made in memory."""
    from weasyprint import CSS, HTML

    return HTML(string=html, url_fetcher=_refuse_url).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])


def deliver(template, context, filename, fmt):
    """The paper as a print page (`fmt` 'html') or as a PDF attachment; always in Indonesian."""
    with speaking("id"):
        if fmt == "html":
            return render(template, pdf=False, **context)
        html = render(template, pdf=True, **context).get_data(as_text=True)
    response = send_file(io.BytesIO(pdf_of(html)), mimetype="application/pdf", as_attachment=True,
                         download_name=filename, etag=False, conditional=False)
    return response


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



MODELS = [PaperNumber]
