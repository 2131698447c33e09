"""Queueing and sending the reporter's messages. `queue` is called by the workflow inside the status
change's own transaction, so a change and its message commit together or not at all (one message per
change: the outbox row is unique per status event). `deliver` sends what is due, each message once:
a success is recorded before the next is tried, a failure waits longer each time and is shown to staff."""
import copy
from types import SimpleNamespace

from flask import current_app, render_template
from flask_babel import format_date

from kiosk.i18n import gettext as _
from kiosk.i18n import speaking

from .. import choices, hosts, keys, regions, tracking
from ..db import writing
from ..models import utcnow
from .. import progress
from . import addresses
from .channels import CHANNELS, Undelivered
from ..office import contact as office_contact
from .models import Outbox, Subscription


# The statuses whose message is the last this office sends: the case is closed, or it went to another office,
# which takes the reporter's messages on (kiosk.notify.handover).
LAST = ("selesai", "dilimpahkan")


def subscribe(report, channel, address, language, masked=None):
    """Tell the reporter of `report` about its changes by `channel` at `address` (already checked, shown
    to staff as `masked`: by default an email's mask); the same report asked again keeps one subscription,
    now to this address. Returns the subscription."""
    with writing():
        row = Subscription.get_or_none(Subscription.report == report) or Subscription(report=report)
        row.channel, row.address = channel, addresses.seal(address)
        row.address_masked = masked or addresses.masked_email(address)
        row.language, row.stopped_at, row.created_at = language, None, utcnow()
        row.token_hash = addresses.token_hash(addresses.unsubscribe_token(report.id))
        row.save()
    return row


def queue(report, event):
    """Queue the message telling `event` (a status change of `report`) when the reporter asked for them.
    Call inside the change's write transaction."""
    subscription = Subscription.active_for(report)
    if subscription:
        Outbox.create(subscription=subscription, event=event)


def unsubscribe(token):
    """Stop the messages of the subscription whose link carries `token` (its address goes too); whether one
    was stopped."""
    with writing():
        return bool(Subscription.update(stopped_at=utcnow(), address="")
                    .where((Subscription.token_hash == addresses.token_hash(token)) & Subscription.stopped_at.is_null())
                    .execute())


def stop_for(report):
    """Stop the messages about `report` (the reporter changed their mind on the receipt)."""
    with writing():
        Subscription.update(stopped_at=utcnow(), address="").where(
            (Subscription.report == report) & Subscription.stopped_at.is_null()).execute()


def public_root():
    """The site's public address for links in messages (KIOSK_PUBLIC_URL), or '' while it is unset or a
    loopback address: a link the reporter's phone cannot open is left out (the message says to ask the office)."""
    config = current_app.config
    return "" if hosts.public_url_problem(config) else config["PUBLIC_URL"].rstrip("/")


def compose(message):
    """The subject, plain text and HTML of an outbox row, in the reporter's language: the office, the
    status in plain words, the date to act by, the status link and the unsubscribe link; nothing personal."""
    subscription, event = message.subscription, message.event
    report = subscription.report
    then = copy.copy(report)  # the report as this change left it (it may have moved on since)
    then.status = event.status
    # A page of its own to render in (no visitor's request: the sender runs alone), in the reporter's language.
    root = public_root()
    with current_app.test_request_context("/", base_url=root or None), speaking(subscription.language):
        events = [e for e in report.public_events() if (e.at, e.change_seq) <= (event.at, event.change_seq)]
        said = progress.told(then, events, window_open=True, format_date=lambda day: format_date(day, "full"))
        office = regions.office_name(report.office_code)
        status = choices.label(choices.STATUSES, event.status)
        context = dict(
            office=office, said=said, status=status, contact=office_contact(report.office_code),
            status_url=f"{root}/status?kode={tracking.dashed(report.tracking_code)}" if root else "",
            unsubscribe_url=f"{root}/status/berhenti/{addresses.unsubscribe_token(report.id)}" if root else "")
        return SimpleNamespace(language=subscription.language, subject=_("%(office)s: your report is now “%(status)s”", office=office, status=status),
                               text=render_template("notify/status.txt", **context),
                               html=render_template("notify/status.html", **context), **context)


def deliver(limit=100):
    """Send the messages that are due (at most `limit`): a tally of sent, failed and waiting. Changes due
    together for one reporter go as one message, telling the newest (the reporter acts on where the report
    is now); the older ones are recorded as sent with it."""
    tally = SimpleNamespace(sent=0, failed=0, waiting=0)
    groups = {}
    for message in Outbox.due().limit(limit):
        groups.setdefault(message.subscription_id, []).append(message)
    for group in groups.values():
        group.sort(key=lambda message: (message.event.at, message.event.change_seq))
        newest, subscription = group[-1], group[-1].subscription
        if subscription.stopped_at:
            _record(group, given_up="stopped")
            continue
        try:
            address = addresses.open_address(subscription.address)
            CHANNELS[subscription.channel](address, compose(newest))
        except (Undelivered, keys.Locked, KeyError) as error:
            _record(group, failed=error.reason if isinstance(error, Undelivered) else "unreadable")
            tally.failed += 1
            continue
        _record(group)
        if newest.event.status in LAST:  # the last message from here: the address is kept no longer
            with writing():
                subscription.address, subscription.stopped_at = "", utcnow()
                subscription.save()
        tally.sent += 1
    tally.waiting = Outbox.select().where(Outbox.sent_at.is_null() & Outbox.given_up_at.is_null()).count()
    return tally


def _record(group, failed="", given_up=""):
    """Record one attempt for every message of `group`: sent, failed (tried again later) or given up."""
    now = utcnow()
    with writing():
        for message in group:
            if failed:
                message.failed_attempt(failed, now)
            elif given_up:
                message.given_up_at, message.last_error = now, given_up
            else:
                message.sent_at, message.attempts, message.last_attempt_at = now, message.attempts + 1, now
            message.save()
