"""What came and went by SMS, kept at the office only (no table travels to the hub). A number is kept
three ways: a keyed hash (under the sender key) to count and match a number's messages, a masked form for
staff's lists, and sealed under the sender key for replying; a message's text is sealed to the office's
public key, so only signed-in staff read it."""
import peewee as pw

from ..db import BaseModel
from ..models import Report, utcnow

KINDS = ("lapor", "status", "stop", "help", "answer", "other", "service", "limited", "blocked", "binary")
STATES = ("done", "open", "converted", "dismissed")  # 'open': waits for staff in the SMS inbox


class SmsMessage(BaseModel):
    """One message received (its parts joined), and what was made of it."""

    file_key = pw.CharField(unique=True)  # keyed hash of its first file's name and its text: read twice, kept once
    received_at = pw.DateTimeField(index=True, default=utcnow)
    number_hash = pw.CharField(index=True)
    number = pw.TextField(default="")  # sealed under the sender key
    number_masked = pw.CharField(default="")
    text = pw.TextField(default="")  # sealed to the office's public key
    language = pw.CharField(default="id")
    kind = pw.CharField()
    state = pw.CharField(default="done")
    report = pw.ForeignKeyField(Report, null=True, backref="sms_messages", on_delete="SET NULL")
    handled_by = pw.CharField(default="")
    handled_at = pw.DateTimeField(null=True)

    @classmethod
    def today_from(cls, number_hash, since, kind=None):
        """How many messages (of `kind`) came from the number since `since`."""
        query = cls.select().where((cls.number_hash == number_hash) & (cls.received_at >= since))
        return (query.where(cls.kind == kind) if kind else query).count()


class SmsSent(BaseModel):
    """One SMS the office queued: a reply, a notice or a staff member's message about a report."""

    at = pw.DateTimeField(index=True, default=utcnow)
    number_hash = pw.CharField(index=True)
    purpose = pw.CharField()  # a reply's kind (words.REPLIES), 'notice' or 'staff'
    report = pw.ForeignKeyField(Report, null=True, backref="sms_sent", on_delete="SET NULL")
    text = pw.TextField(default="")  # a staff member's message, sealed to the office's public key ('' otherwise)
    actor = pw.CharField(default="")

    @classmethod
    def today_to(cls, number_hash, since, purpose=None):
        """How many SMS (for `purpose`) went to the number since `since`."""
        query = cls.select().where((cls.number_hash == number_hash) & (cls.at >= since))
        return (query.where(cls.purpose == purpose) if purpose else query).count()


class SmsBlock(BaseModel):
    """A number staff blocked: its messages are kept from the inbox and get no answer."""

    number_hash = pw.CharField(unique=True)
    number_masked = pw.CharField(default="")
    by = pw.CharField(default="")
    at = pw.DateTimeField(default=utcnow)


def forget(messages, sent):
    """Destroy the numbers and texts of the SMS matching `messages` and `sent` (where-clauses), keeping the
    rows' kinds and times for the counts; call inside a write transaction."""
    SmsMessage.update(number="", number_masked="", text="", number_hash="").where(messages).execute()
    SmsSent.update(text="", number_hash="").where(sent).execute()


MODELS = [SmsMessage, SmsSent, SmsBlock]
