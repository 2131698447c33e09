"""The receipt (tanda bukti penyampaian laporan) and the end of the session."""
from urllib.parse import urlsplit

from flask import current_app, redirect, request, session, url_for

from kiosk.i18n import gettext as _

from .. import choices, elections, hosts, hours, keys, regions, sealing, tracking
from ..elections import rules_of
from ..papers import PAPERS, deliver
from ..qr import qr_svg
from ..models import Evidence, Report, utcnow
from ..notify import addresses, sender
from ..notify.models import Subscription
from ..office import contact
from ..visit import end_visit
from ..web import render
from .blueprint import bp


def site_root():
    """This site's public address, without a trailing slash: KIOSK_PUBLIC_URL, else the address the request
    came to (its Host checked against KIOSK_ALLOWED_HOSTS); None when that is this machine's loopback,
    which no one can reach from their phone."""
    root = (current_app.config["PUBLIC_URL"] or request.url_root).rstrip("/")
    return None if hosts.is_loopback(urlsplit(root).hostname) else root


def status_url(report):
    """The public address of the report's status, as printed on the receipt; None without a public address."""
    root = site_root()
    return root and root + url_for("status.lookup", kode=tracking.dashed(report.tracking_code))


def qr_url(report):
    """The short address in the QR code: scheme and host in capitals and a path of capitals and digits
    fit QR's alphanumeric mode, a smaller code (version 3 instead of 4-5) whose larger dots scan better
    off a thermal receipt, and which costs a third less to make. /S/ sends on to the status page. None
    without a public address."""
    if site_root() is None:
        return None
    scheme, _, rest = site_root().partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme.upper()}://{host.upper()}{slash}{path}" + url_for("status.short", code=report.tracking_code)


REPORT, KEY = "receipt", "receipt_key"  # in the session: the report just sent, and its key (base64)


def remember(report_id, key):
    """Keep the report just sent, and its key, for this session's receipt (until the visit ends)."""
    session[REPORT], session[KEY] = str(report_id), key


def reporter_email(report):
    """The email address the reporter gave, opened with this session's key ('' when none or unreadable)."""
    try:
        return sealing.open_fields(keys.unb64(session.get(KEY)), report.personal, ("reporter_email",)).reporter_email
    except (keys.Locked, sealing.Unreadable):
        return ""


def evidence_listed(report):
    """The report's files as the receipt lists them: name, size and SHA-256, opened with the key this
    session holds (the person's own: they sent the files)."""
    try:
        key = keys.unb64(session.get(KEY))
        return [dict(vars(sealing.open_fields(key, item.personal, sealing.EVIDENCE_FIELDS)), size=item.size)
                for item in report.evidence.order_by(Evidence.position)]
    except (keys.Locked, sealing.Unreadable):
        return []


def this_receipt():
    """The report this session just sent, or None."""
    return Report.get_or_none(Report.id == session.get(REPORT)) if session.get(REPORT) else None


@bp.get("/tanda-terima")
def tanda_terima():
    """The receipt of the report this session just sent."""
    report = this_receipt()
    if report is None:
        return redirect(url_for("lapor.start"), code=303)
    email = reporter_email(report)
    subscription = Subscription.active_for(report)
    return render("lapor/receipt.html", "lapor/_receipt.html", report=report, office=regions.office_name(report.office_code),
                  code=tracking.grouped(report.tracking_code), status_url=status_url(report),
                  qr=qr_svg(qr_url(report)) if site_root() else None,
                  evidence=evidence_listed(report), contact=contact(report.office_code),
                  offer_to=addresses.masked_email(email) if email else "",
                  messages_to=subscription.address_masked if subscription else "",
                  now=utcnow(), rules=rules_of(report), counted_from=hours.counted_from(report.office_code, report.submitted_at))


@bp.get("/tanda-terima/formulir")
def formulir():
    """The filled-in Formulir Laporan (Model B.1) of the formal report this session just sent, to print at
    the desk for the reporter's signature (opened with the session's own key, like the receipt: not audited, as
    nothing is shown that the person did not just type)."""
    report = Report.get_or_none(Report.id == session.get(REPORT)) if session.get(REPORT) else None
    if report is None or report.kind != "formal":
        return redirect(url_for("lapor.tanda_terima" if report else "lapor.start"), code=303)
    try:
        sealed = sealing.open_report(report, keys.unb64(session.get(KEY)))
    except (keys.Locked, sealing.Unreadable):
        return redirect(url_for("lapor.tanda_terima"), code=303)
    context = {"report": report, "sealed": sealed, "office": regions.office_name(report.office_code),
               "election": elections.election_of(report), "paper": "b1", "title": PAPERS["b1"],
               "back_url": url_for("lapor.tanda_terima"), "back_label": _("Back to the receipt"), "pdf_url": None,
               "sexes": choices.SEXES, "reporter_types": choices.REPORTER_TYPES, "term_roles": choices.TERLAPOR_ROLES}
    return deliver("papers/b1.html", context, "", "html")


@bp.post("/kabar")
def kabar():
    """The reporter's choice at the end of filing: be told of every change by email (the address they
    gave), or not."""
    report = this_receipt()
    if report is None:
        return redirect(url_for("lapor.start"), code=303)
    email = reporter_email(report)
    if request.form.get("messages") == "email" and email:
        sender.subscribe(report, "email", email, report.language)
    elif request.form.get("messages") == "off":
        sender.stop_for(report)
    return redirect(url_for("lapor.tanda_terima", _anchor="messages"), code=303)


@bp.post("/selesai")
def selesai():
    """Finish: forget this person's visit (on a kiosk, everything; on a phone, all but the language)."""
    end_visit()
    return redirect(url_for("staff.index" if "staff" in session else "pages.landing"), code=303)
