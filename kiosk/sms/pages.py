"""The staff's side of SMS, on the staff blueprint (office only: the hub has no modem): the SMS inbox
(`/staff/sms`) of what was neither a report nor a status check, which staff turn into a tip or dismiss,
and the numbers they block; and the reply box of an SMS tip's page. Every action is audited; texts are
opened with the session's office key and never written to a log or an address."""
from types import SimpleNamespace

from flask import abort, current_app, flash, g, redirect, request, url_for

from kiosk.i18n import gettext as _
from kiosk.i18n import lazy_gettext as _l
from kiosk.i18n import speaking

from .. import tracking
from ..db import writing
from ..models import utcnow
from ..notify import addresses, sender
from ..staff import audit, people
from ..staff.access import own_report
from ..staff.blueprint import bp
from ..web import render
from . import gammu, inbox, numbers, thread, tips, words
from .forms import ReplyForm
from .models import SmsBlock, SmsMessage, SmsSent

SHOWN = 200  # the newest messages the inbox page lists
KINDS = {
    "lapor": _l("report"), "status": _l("status check"), "stop": _l("stop the notices"), "help": _l("help"),
    "answer": _l("answer"), "other": _l("other"), "service": _l("from the operator"),
    "limited": _l("over the day's limit"), "blocked": _l("blocked number"), "binary": _l("data message"),
    "too_many": _l("reports limit"), "bad_code": _l("wrong code"), "unknown_code": _l("unknown code"),
    "stopped": _l("notices stopped"), "staff": _l("from staff"),
}


@bp.context_processor
def sms_labels():
    """What each kind of SMS is called on the staff pages."""
    return {"sms_kinds": KINDS}


def _own_message(message_id):
    """The SMS `message_id`, held at this office (the hub has none)."""
    message = SmsMessage.get_or_none(SmsMessage.id == message_id)
    if message is None or g.staff.office_code != current_app.config["OFFICE_CODE"]:
        abort(404)
    return message


@bp.get("/sms")
def sms_inbox():
    """The SMS inbox: messages waiting for staff, then the latest others, each with its masked number."""
    if g.staff.office_code != current_app.config["OFFICE_CODE"]:
        abort(404)
    audit.record("view_sms_inbox")
    rows = list(SmsMessage.select().order_by(SmsMessage.state != "open", SmsMessage.received_at.desc()).limit(SHOWN))
    shown = [SimpleNamespace(row=row, text=thread.opened_text(people.private_key(), row.text)) for row in rows]
    blocked = list(SmsBlock.select().order_by(SmsBlock.at.desc()))
    return render("sms/inbox.html", title=_("SMS inbox"), messages=shown, blocked=blocked,
                  waiting=sum(row.state == "open" for row in rows),
                  modem=bool(current_app.config["SMSD_INBOX"] and current_app.config["SMSD_OUTBOX"]))


@bp.post("/sms/<int:message_id>/tip")
def sms_to_tip(message_id):
    """Make a waiting message a tip: its text as the description, its number as the sealed contact; the
    sender gets the tracking code."""
    message = _own_message(message_id)
    text = thread.opened_text(people.private_key(), message.text)
    if message.state != "open" or not message.number or not text:
        flash(_("This message cannot be made a tip."), "error")
        return redirect(url_for("staff.sms_inbox"), code=303)
    number = addresses.open_address(message.number)
    with writing():
        report = tips.create_tip(text, number, message.language, utcnow())
        message.kind, message.state, message.report = "lapor", "converted", report
        message.handled_by, message.handled_at = g.staff.username, utcnow()
        message.save()
        sender.subscribe(report, "sms", number, message.language, masked=message.number_masked)
        SmsSent.create(number_hash=message.number_hash, purpose="lapor", report=report, actor=g.staff.username)
    with speaking(message.language):
        reply = words.reply("lapor", code=tracking.grouped(report.tracking_code), url=f"{sender.public_root()}/status")
    _queue(number, reply)
    audit.record("sms_tip", target=report.receipt_no)
    flash(_("The message is now tip %(number)s; its sender was sent the tracking code.", number=report.receipt_no),
          "success")
    return redirect(url_for("staff.report", report_id=report.id), code=303)


@bp.post("/sms/<int:message_id>/abaikan")
def sms_dismiss(message_id):
    """Dismiss a waiting message: it stays listed, marked with who dismissed it."""
    message = _own_message(message_id)
    if message.state == "open":
        with writing():
            message.state, message.handled_by, message.handled_at = "dismissed", g.staff.username, utcnow()
            message.save()
        audit.record("sms_dismiss", target=str(message.id))
    flash(_("The message is dismissed."), "success")
    return redirect(url_for("staff.sms_inbox"), code=303)


@bp.post("/sms/<int:message_id>/blokir")
def sms_block(message_id):
    """Block the message's number: what it sends from now on is kept out and never answered."""
    message = _own_message(message_id)
    with writing():
        SmsBlock.insert(number_hash=message.number_hash, number_masked=message.number_masked,
                        by=g.staff.username, at=utcnow()).on_conflict_ignore().execute()
    audit.record("sms_block", target=message.number_masked)
    flash(_("%(number)s is blocked.", number=message.number_masked), "success")
    return redirect(url_for("staff.sms_inbox"), code=303)


@bp.post("/sms/blokir/<int:block_id>/hapus")
def sms_unblock(block_id):
    """Take a number off the blocklist."""
    block = SmsBlock.get_or_none(SmsBlock.id == block_id)
    if block is None or g.staff.office_code != current_app.config["OFFICE_CODE"]:
        abort(404)
    with writing():
        block.delete_instance()
    audit.record("sms_unblock", target=block.number_masked)
    flash(_("%(number)s is no longer blocked.", number=block.number_masked), "success")
    return redirect(url_for("staff.sms_inbox"), code=303)


@bp.post("/laporan/<uuid:report_id>/sms")
def sms_reply(report_id):
    """Send a short SMS to the reporter of an SMS tip (to ask what is missing); their answers attach here."""
    report = own_report(report_id)
    form = ReplyForm(request.form)
    person = people.person_of(report)
    number = numbers.mobile(person.reporter_phone) if person else ""
    if report.channel != "sms" or not number or not current_app.config["SMSD_OUTBOX"]:
        flash(_("This report cannot be answered by SMS."), "error")
    elif not form.validate():
        for message in form.text.errors:
            flash(message, "error")
    else:
        text = form.text.data.strip()
        with writing():
            SmsSent.create(number_hash=numbers.hashed(number), purpose="staff", report=report, actor=g.staff.username,
                           text=inbox.seal_text(text, report.office_code))
        _queue(number, text)
        audit.record("sms_reply", target=report.receipt_no)
        flash(_("The SMS is in the modem's outbox."), "success")
    return redirect(url_for("staff.report", report_id=report.id, _anchor="sms"), code=303)


def _queue(number, text):
    """Hand `text` to gammu-smsd's outbox, when the office has one."""
    if current_app.config["SMSD_OUTBOX"]:
        gammu.queue(current_app.config["SMSD_OUTBOX"], number, text)
