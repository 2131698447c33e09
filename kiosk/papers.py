"""The official papers, made from HTML templates (`templates/papers/`) as A4 print pages and as PDF files by
WeasyPrint: the filled-in Formulir Laporan (Model B.1) with signature boxes, the tanda bukti penyampaian
laporan, the kajian awal sheet, the status notice (Formulir Model A.17 for a Pilkada), the completion notice
and the year's register book. Always in Indonesian; made in memory and never stored; a paper fetches nothing
from anywhere (its stylesheet is given)."""
import io
import logging

import peewee as pw
from flask import send_file

from kiosk.i18n import lazy_gettext as _l
from kiosk.i18n import speaking

from . import paths
from .db import BaseModel
from .web import render

STYLESHEET = paths.STATIC / "papers.css"
PAPERS = {
    "b1": _l("Report form (Model B.1)"),
    "tanda-bukti": _l("Signed receipt (tanda bukti penyampaian laporan)"),
    "kajian": _l("Initial review sheet (kajian awal)"),
    "pemberitahuan": _l("Status notice to the reporter"),
    "kelengkapan": _l("Completion notice"),
}
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


def _refuse_url(url):
    """A paper fetches nothing: its stylesheet is given, it has no images from anywhere."""
    raise ValueError(f"papers fetch nothing ({url[:40]})")


def pdf_of(html):
    """The PDF of a paper's HTML, made in memory."""
    from weasyprint import CSS, HTML

    return HTML(string=html, url_fetcher=_refuse_url).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])


def deliver(template, context, filename, fmt):
    """The paper as a print page (`fmt` 'html') or as a PDF attachment named `filename`; always in Indonesian."""
    with speaking("id"):
        if fmt == "html":
            return render(template, pdf=False, **context)
        html = render(template, pdf=True, **context).get_data(as_text=True)
    return send_file(io.BytesIO(pdf_of(html)), mimetype="application/pdf", as_attachment=True,
                     download_name=filename, etag=False, conditional=False)


MODELS = [PaperNumber]
