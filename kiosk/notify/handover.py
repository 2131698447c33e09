"""The reporter's messages follow a transferred report (kiosk.transfers).

When staff transfer a report whose reporter asked to be told of its changes, `hand_over` locks the channel,
address and language under the report's own key into the report's `notices` column, which travels with it: only
the office, the hub and, once the hub seals the key on, the receiving office can open it. The sending office's
message of the transfer is its last (kiosk.notify.sender): it keeps the address no longer.

At the receiving office `keep` holds what came with the report in a Handover row (it cannot open it at sync time:
that needs the office key), and the first account holding the office key to sign in calls `take_on`: the address
is checked as any address from outside is, sealed under this office's sender key as a Subscription of its own,
and the reporter gets a first message from here, saying where the report is now."""
import logging

from .. import keys, sealing
from ..db import writing
from ..i18n import LANGUAGES
from ..limits import TEXT
from ..sms import numbers
from . import addresses
from .models import Handover, Subscription
from .sender import queue, subscribe

log = logging.getLogger(__name__)
AT_ONCE = 200  # handovers taken on at one sign-in; the rest at the next


def hand_over(report, key):
    """The report's active subscription as it travels with a transfer, locked under the report's `key`; '' when
    the reporter asked for no messages, or this session cannot open the report (`key` None)."""
    subscription = Subscription.active_for(report)
    if subscription is None or key is None:
        return ""
    try:
        address = addresses.open_address(subscription.address)
    except keys.Locked:  # the sender key was lost with another machine: nothing to hand over
        return ""
    return keys.lock_json(key, {"channel": subscription.channel, "address": address,
                                "language": subscription.language})


def keep(report, sealed):
    """At the receiving office, inside the transaction that stores the transferred `report`: what came with it."""
    if sealed:
        Handover.insert(report=report, sealed=sealed).on_conflict_ignore().execute()


def checked(values):
    """(channel, address, mask, language) of a handover's opened values, or None when any is not what this office
    would have taken from a reporter itself."""
    if not isinstance(values, dict):
        return None
    channel, address, language = values.get("channel"), values.get("address"), values.get("language")
    if not isinstance(address, str) or language not in LANGUAGES:
        return None
    if channel == "email" and len(address) <= TEXT["reporter_email"]:
        from email_validator import EmailNotValidError, validate_email  # here: 60 ms every `kiosk` command spared

        try:
            validate_email(address, check_deliverability=False)
        except EmailNotValidError:
            return None
        return channel, address, addresses.masked_email(address), language
    if channel == "sms" and numbers.mobile(address) == address:
        return channel, address, numbers.masked(address), language
    return None


def take_on(office_key):
    """Make the handovers waiting here subscriptions of this office, opened with `office_key` (a signed-in
    account's); each reporter is told where the report is now. Returns how many were taken on. One that does not
    open or holds no usable address is dropped (logged without it): the reporter still has the status page."""
    taken = 0
    for handover in Handover.select().limit(AT_ONCE):
        report = handover.report
        try:
            values = keys.unlock_json(sealing.report_key(report, office_key), handover.sealed)
        except (sealing.Unreadable, keys.Locked, ValueError):
            values = None
        wish = checked(values)
        with writing():
            if wish is not None and Subscription.active_for(report) is None:
                channel, address, mask, language = wish
                subscribe(report, channel, address, language, masked=mask)
                events = list(report.public_events())
                if events:
                    queue(report, events[-1])
                taken += 1
            elif wish is None:
                log.warning("a transferred report's messages could not be taken on (report %s)", report.id)
            handover.delete_instance()
    return taken
