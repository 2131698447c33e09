"""The receipt (tanda bukti penyampaian laporan) and the end of the session."""
import segno
from flask import current_app, redirect, request, session, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from .. import regions, tracking
from ..models import Report
from ..web import render
from . import bp


def status_url(report):
    """The public address of the report's status, for the QR code."""
    base = current_app.config["PUBLIC_URL"] or request.url_root
    return base.rstrip("/") + url_for("status.lookup", kode=tracking.grouped(report.tracking_code).replace(" ", "-"))


def qr_svg(text):
    """An inline SVG QR code of `text`, labelled for screen readers, sized by the stylesheet."""
    svg = segno.make(text, error="m").svg_inline(scale=1, omitsize=True, title=_("QR code of the status page"))
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


@bp.get("/tanda-terima")
def tanda_terima():
    """The receipt of the report this session just sent."""
    report = Report.get_or_none(Report.id == session.get("receipt")) if session.get("receipt") else None
    if report is None:
        return redirect(url_for("lapor.start"), code=303)
    url = status_url(report)
    return render("lapor/receipt.html", "lapor/_receipt.html", report=report, office=regions.office_name(report.office_code),
                  code=tracking.grouped(report.tracking_code), status_url=url, qr=qr_svg(url),
                  evidence=list(report.evidence.order_by(report.evidence.model.position)))


@bp.post("/selesai")
def selesai():
    """Finish: forget this person's visit (on a kiosk, everything; on a phone, all but the language)."""
    from ..visit import end_visit  # kiosk.visit imports this package

    end_visit()
    return redirect(url_for("staff.index" if "staff" in session else "pages.landing"), code=303)
