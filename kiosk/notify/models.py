"""Who asked to be told of changes, and the messages queued for them. Kept at the office only: none of these
tables travels to the hub, and an address is readable only with the machine's sender key (notify.sender_key).
A transferred report's address travels otherwise, locked under the report's key (kiosk.notify.handover)."""
import datetime as dt

import peewee as pw

from ..db import BaseModel
from ..models import Report, StatusEvent, utcnow

MAX_ATTEMPTS = 8
FIRST_RETRY = dt.timedelta(minutes=5)  # then doubling: 5, 10, 20 ... minutes, at most LONGEST_WAIT
LONGEST_WAIT = dt.timedelta(hours=6)
FAILING_AFTER = 3  # attempts after which staff see the message as failing


class Subscription(BaseModel):
    """A reporter's wish to be told of their report's changes, by `channel`, at a sealed address."""

    report = pw.ForeignKeyField(Report, backref="subscriptions", unique=True, on_delete="CASCADE")
    channel = pw.CharField()  # kiosk.notify.channels.CHANNELS
    address = pw.TextField()  # sealed under the sender key
    address_masked = pw.CharField()  # 'b***@gmail.com', for the receipt, the status page and staff
    language = pw.CharField(default="id")
    token_hash = pw.CharField(unique=True)  # of the unsubscribe link's token
    created_at = pw.DateTimeField(default=utcnow)
    stopped_at = pw.DateTimeField(null=True)

    @classmethod
    def active_for(cls, report):
        """The report's subscription still on, or None."""
        return cls.get_or_none((cls.report == report) & cls.stopped_at.is_null())


class Outbox(BaseModel):
    """One message to send: the status change `event` told to `subscription` (one message per change)."""

    subscription = pw.ForeignKeyField(Subscription, backref="messages", on_delete="CASCADE")
    event = pw.ForeignKeyField(StatusEvent, unique=True, on_delete="CASCADE")
    created_at = pw.DateTimeField(default=utcnow)
    next_attempt_at = pw.DateTimeField(default=utcnow, index=True)
    attempts = pw.IntegerField(default=0)
    last_error = pw.CharField(default="")  # the kind of failure ('refused', 'unreachable'), never an address
    last_attempt_at = pw.DateTimeField(null=True)
    sent_at = pw.DateTimeField(null=True)
    given_up_at = pw.DateTimeField(null=True)

    @classmethod
    def due(cls, now=None):
        """Messages to attempt now, oldest first."""
        now = now or utcnow()
        return (cls.select().where(cls.sent_at.is_null() & cls.given_up_at.is_null() & (cls.next_attempt_at <= now))
                .order_by(cls.next_attempt_at, cls.id))

    @property
    def failing(self):
        """Whether staff should see that this message does not get through."""
        return self.sent_at is None and (self.given_up_at is not None or self.attempts >= FAILING_AFTER)

    def failed_attempt(self, error, now=None):
        """Record a failed attempt: try again after a wait that doubles, or give up after MAX_ATTEMPTS."""
        now = now or utcnow()
        self.attempts += 1
        self.last_error, self.last_attempt_at = error[:40], now
        if self.attempts >= MAX_ATTEMPTS:
            self.given_up_at = now
        else:
            self.next_attempt_at = now + min(FIRST_RETRY * 2 ** (self.attempts - 1), LONGEST_WAIT)


class Handover(BaseModel):
    """At the office a report was transferred to: the reporter's wish for messages as it came with the report
    (`Report.notices`: channel, address and language locked under the report's key), until an account holding
    the office key signs in and makes it a Subscription here (kiosk.notify.handover)."""

    report = pw.ForeignKeyField(Report, unique=True, on_delete="CASCADE")
    sealed = pw.TextField()
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "notice_handover"


def failing_for(report_ids):
    """The ids, among `report_ids`, of reports with a message that keeps failing."""
    if not report_ids:
        return set()
    query = (Outbox.select(Subscription.report).join(Subscription)
             .where(Subscription.report.in_(list(report_ids)) & Outbox.sent_at.is_null()
                    & (Outbox.given_up_at.is_null(False) | (Outbox.attempts >= FAILING_AFTER))))
    return {row.subscription.report_id for row in query}


MODELS = [Subscription, Outbox, Handover]
