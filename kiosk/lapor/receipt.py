"""The receipt (tanda bukti penyampaian laporan) and the end of the session."""
from flask import current_app, redirect, request, session, url_for

from .. import deadlines, keys, regions, sealing, tracking
from ..qr import qr_svg
from ..models import Evidence, Report, utcnow
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


REPORT, KEY = "receipt", "receipt_key"  # in the session: the report just sent, and its key (base64)


def remember(report_id, key):
    """Keep the report just sent, and its key, for this session's receipt (until the visit ends)."""
    session[REPORT], session[KEY] = str(report_id), key


def evidence_listed(report):
    """The report's files as the receipt lists them: name, size and SHA-256, opened with the key this
    session holds (the person's own: they sent the files)."""
    try:
        key = keys.unb64(session.get(KEY))
        return [dict(vars(sealing.open_fields(key, item.personal, sealing.EVIDENCE_FIELDS)), size=item.size)
                for item in report.evidence.order_by(Evidence.position)]
    except (keys.Locked, sealing.Unreadable):
        return []


@bp.get("/tanda-terima")
def tanda_terima():
    """The receipt of the report this session just sent."""
    report = Report.get_or_none(Report.id == session.get(REPORT)) if session.get(REPORT) else None
    if report is None:
        return redirect(url_for("lapor.start"), code=303)
    return render("lapor/receipt.html", "lapor/_receipt.html", report=report, office=regions.office_name(report.office_code),
                  code=tracking.grouped(report.tracking_code), status_url=status_url(report), qr=qr_svg(qr_url(report)),
                  evidence=evidence_listed(report), now=utcnow(),
                  decision_days=deadlines.DECISION_DAYS, decision_extension_days=deadlines.DECISION_EXTENSION_DAYS)


@bp.post("/selesai")
def selesai():
    """Finish: forget this person's visit (on a kiosk, everything; on a phone, all but the language)."""
    end_visit()
    return redirect(url_for("staff.index" if "staff" in session else "pages.landing"), code=303)
