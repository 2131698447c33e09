"""The receipt (tanda bukti penyampaian laporan) and the end of the session."""
import re

import zxingcpp
from flask import current_app, redirect, request, session, url_for
from markupsafe import Markup, escape

from kiosk.i18n import gettext as _

from .. import deadlines, regions, tracking
from ..models import Report
from ..visit import end_visit
from ..web import render
from .blueprint import bp


def site_root():
    """This site's public address, without a trailing slash."""
    return (current_app.config["PUBLIC_URL"] or request.url_root).rstrip("/")


def status_url(report):
    """The public address of the report's status, as printed on the receipt."""
    return site_root() + url_for("status.lookup", kode=tracking.dashed(report.tracking_code))


def qr_url(report):
    """The short address in the QR code: scheme and host in capitals and a path of capitals and digits
    fit QR's alphanumeric mode, a smaller code (version 3 instead of 4-5) whose larger dots scan better
    off a thermal receipt, and which costs a third less to make. /S/ sends on to the status page."""
    scheme, _, rest = site_root().partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme.upper()}://{host.upper()}{slash}{path}" + url_for("status.short", code=report.tracking_code)


def qr_svg(text):
    """An inline SVG QR code of `text` (error correction M), labelled for screen readers and sized by
    the stylesheet. Made by zxing-cpp's encoder (Zint): it picks the best mask as the QR standard
    asks, in a tenth of a millisecond where a pure-Python encoder took two."""
    svg = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M").to_svg()
    svg = svg[svg.index("<svg"):]
    size = re.search(r'width="(\d+)" height="(\d+)"', svg)
    svg = svg.replace(size.group(0), f'viewBox="0 0 {size.group(1)} {size.group(2)}" role="img"', 1)
    svg = re.sub(r"\s*<desc>.*?</desc>", "", svg, count=1).replace(' id="barcode"', "")
    title = str(escape(_("QR code of the status page")))
    return Markup(svg.replace(">", f"><title>{title}</title>", 1).strip())


@bp.get("/tanda-terima")
def tanda_terima():
    """The receipt of the report this session just sent."""
    report = Report.get_or_none(Report.id == session.get("receipt")) if session.get("receipt") else None
    if report is None:
        return redirect(url_for("lapor.start"), code=303)
    return render("lapor/receipt.html", "lapor/_receipt.html", report=report, office=regions.office_name(report.office_code),
                  code=tracking.grouped(report.tracking_code), status_url=status_url(report), qr=qr_svg(qr_url(report)),
                  evidence=list(report.evidence.order_by(report.evidence.model.position)),
                  decision_days=deadlines.DECISION_DAYS, decision_extension_days=deadlines.DECISION_EXTENSION_DAYS)


@bp.post("/selesai")
def selesai():
    """Finish: forget this person's visit (on a kiosk, everything; on a phone, all but the language)."""
    end_visit()
    return redirect(url_for("staff.index" if "staff" in session else "pages.landing"), code=303)
