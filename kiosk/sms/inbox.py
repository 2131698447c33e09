"""Reading gammu-smsd's inbox (`kiosk sms`, and every few seconds inside `kiosk serve`): each message is
recorded once (a message read again, after a crash between the record and the file's removal, makes
nothing new), acted on by its keyword (kiosk.sms.words), answered in one SMS through the outbox, and its
files removed. Service messages (the operator's notices, the credit balance: a sender that is not a mobile
number) are kept for staff and never answered; a number over its day's limit, or blocked by staff, gets no
answer either, so two automated senders can never answer each other for ever."""
import datetime as dt
import logging
from types import SimpleNamespace

from flask import current_app
from flask_babel import format_date

from kiosk.i18n import speaking

from .. import choices, keys, progress, tracking
from ..db import db, writing
from ..deadlines import local_date, today, utc_bounds
from ..keyring import Keyring
from ..models import Report, utcnow
from ..notify import addresses, sender
from ..notify.models import Subscription
from . import gammu, numbers, tips, words
from .models import SmsBlock, SmsMessage, SmsSent

BATCH = 50  # messages a transaction
ASKED_WITHIN = dt.timedelta(days=7)  # an answer within this of a staff member's SMS attaches to that report
log = logging.getLogger(__name__)


def seal_text(text, office_code, public=None):
    """A message's text sealed to the office's public key (`public`, when the caller has looked it up;
    '' stays '')."""
    return keys.seal(public or Keyring.public_key_of(office_code), text.encode("utf-8")) if text else ""


def process(settle=gammu.SETTLE_SECONDS):
    """Read every message waiting in KIOSK_SMSD_INBOX once; a tally of what became of them. Messages are
    recorded BATCH to a transaction (one commit, one flush to disk, for the lot), each in a savepoint of
    its own: one that fails is logged and left in the inbox for the next round, the others go on. Replies
    are written and the inbox files removed only once their records are committed."""
    config = current_app.config
    tally = SimpleNamespace(read=0, reports=0, replies=0, again=0, failed=0)
    run = SimpleNamespace(config=config, secret=addresses.sender_key(), since=utc_bounds(today(), today())[0],
                          root=sender.public_root(), public=Keyring.public_key_of(config["OFFICE_CODE"]))
    waiting = gammu.waiting(config["SMSD_INBOX"], settle)
    for start in range(0, len(waiting), BATCH):
        done = []
        with writing():
            for message in waiting[start:start + BATCH]:
                try:
                    done.append((message, *_record(message, run)))
                except Exception:  # noqa: BLE001 (one unreadable message must not hold up the others)
                    log.exception("an SMS could not be read; it stays in the inbox")
                    tally.failed += 1
        for message, row, outgoing in done:
            for number, text in outgoing:
                gammu.queue(config["SMSD_OUTBOX"], number, text)
            for path in message.files:
                path.unlink(missing_ok=True)
            if row is None:
                tally.again += 1
                continue
            tally.read += 1
            tally.reports += row.kind == "lapor" and row.report_id is not None
            tally.replies += len(outgoing)
    return tally


def _record(message, run):
    """Record one message in a savepoint of the batch's transaction: (its row, or None when it was read
    before; the SMS to send)."""
    file_key = keys.keyed_hash(run.secret, message.first.name + "\0" + message.text, "sms-file")
    # A page context of its own (no visitor's request: links and words need one), and a savepoint.
    with current_app.test_request_context("/", base_url=run.root), db.atomic():
        if SmsMessage.select().where(SmsMessage.file_key == file_key).exists():
            return None, []
        return _take(message, file_key, run)


def _take(message, file_key, run):
    """Record `message` and act on it, inside the write transaction: (the row, the SMS to send)."""
    secret, since, config = run.secret, run.since, run.config
    number = numbers.mobile(message.first.sender)
    said = words.read(message.text)
    row = SmsMessage(file_key=file_key, received_at=utcnow(), language=said.language,
                     number_hash=numbers.hashed(number or message.first.sender, secret),
                     number_masked=numbers.masked(number or message.first.sender),
                     number=addresses.seal(number) if number else "",
                     text=seal_text(message.text, config["OFFICE_CODE"], run.public))
    replies = []

    def answer(kind, **values):
        replies.append((kind, words.reply(kind, **values)))

    with speaking(said.language):  # every answer, and the status words in it, in the sender's language
        _act(row, said, number, message, since, config, answer)
    row.save()
    for kind, _text in replies:
        SmsSent.create(number_hash=row.number_hash, purpose=kind, report=row.report)
    return row, [(number, text) for _kind, text in replies]


def _act(row, said, number, message, since, config, answer):
    """Decide what `row` is and do it: a tip, a status, a stop, a help, an answer to staff, or nothing."""
    if message.binary:
        row.kind = "binary"
    elif not number:
        row.kind = "service"
    elif SmsBlock.select().where(SmsBlock.number_hash == row.number_hash).exists():
        row.kind = "blocked"
    elif SmsMessage.today_from(row.number_hash, since) >= config["SMS_MESSAGES_PER_DAY"]:
        row.kind = "limited"
    elif said.action == "lapor" and said.rest:
        _lapor(row, said, number, since, config, answer)
    elif said.action == "status":
        row.kind = "status"
        _status(said.rest, config, answer)
    elif said.action == "stop":
        row.kind = "stop"
        _stop(number)
        answer("stopped")
    elif said.action in ("help", "lapor"):
        row.kind = "help"
        answer("help")
    else:
        row.report = answered_report(row.number_hash)
        if row.report:
            row.kind = "answer"
            row.report.needs_review = True
            row.report.save()
        else:
            row.kind, row.state = "other", "open"
            if not SmsSent.today_to(row.number_hash, since, "help"):
                answer("help")


def _lapor(row, said, number, since, config, answer):
    """A LAPOR message: a tip and its code, or, over the day's limit, where else to report."""
    made_today = (SmsMessage.select().where((SmsMessage.number_hash == row.number_hash) & (SmsMessage.kind == "lapor")
                                            & (SmsMessage.received_at >= since)).count())
    if made_today >= config["SMS_REPORTS_PER_DAY"]:
        row.kind = "limited"
        if not SmsSent.today_to(row.number_hash, since, "too_many"):
            answer("too_many", count=config["SMS_REPORTS_PER_DAY"])
        return
    row.kind = "lapor"
    row.report = tips.create_tip(said.rest, number, said.language, row.received_at)
    sender.subscribe(row.report, "sms", number, said.language, masked=numbers.masked(number))
    answer("lapor", code=tracking.grouped(row.report.tracking_code), url=f"{sender.public_root()}/status")


def _status(text, config, answer):
    """A STATUS message: the report's status in plain words and its date, or why the code is wrong."""
    digits = tracking.digits_of(text)[:tracking.LENGTH + 4]
    if not tracking.is_well_formed(digits):
        answer("bad_code")
        return
    report = Report.get_or_none((Report.tracking_code == digits) & (Report.office_code == config["OFFICE_CODE"]))
    if report is None:
        answer("unknown_code")
        return
    events = list(report.public_events())
    said = progress.told(report, events, window_open=True)
    since = local_date(events[-1].at) if events else local_date(report.submitted_at)
    answer("status", code=tracking.grouped(digits), label=str(choices.label(choices.STATUSES, report.status)),
           date=format_date(since, "d MMM y"), meaning=str(said.meaning))


def _stop(number):
    """End every SMS notice this office sends to the number: of the tips made from it and of the reports
    transferred here whose reporter chose SMS (kiosk.notify.handover), which this office's inbox never heard
    from. The addresses are sealed under the sender key: each active one is opened to compare."""
    active = Subscription.select(Subscription.id, Subscription.address).where(
        (Subscription.channel == "sms") & Subscription.stopped_at.is_null())
    ids = [row.id for row in active if _opens_to(row.address, number)]
    if ids:
        Subscription.update(stopped_at=utcnow(), address="").where(Subscription.id.in_(ids)).execute()


def _opens_to(sealed, number):
    try:
        return addresses.open_address(sealed) == number
    except keys.Locked:
        return False


def answered_report(number_hash):
    """The report a message from the number answers: the newest open report it made by SMS that staff asked
    about by SMS lately, or that waits for completion; None when there is none. A report transferred away is not
    open here: its copy is read-only, and the answer waits among the messages for staff to see."""
    made = SmsMessage.select(SmsMessage.report).where((SmsMessage.number_hash == number_hash)
                                                      & (SmsMessage.kind == "lapor") & SmsMessage.report.is_null(False))
    asked = SmsSent.select(SmsSent.report).where((SmsSent.number_hash == number_hash) & (SmsSent.purpose == "staff")
                                                 & (SmsSent.at >= utcnow() - ASKED_WITHIN))
    return (Report.select().where(Report.id.in_(made) & Report.status.not_in(("selesai", "dilimpahkan"))
                                  & (Report.id.in_(asked) | (Report.status == "perlu_dilengkapi")))
            .order_by(Report.submitted_at.desc()).first())
