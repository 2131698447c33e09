"""A status change told in one SMS, for the notices' SMS channel (kiosk.notify.channels.send_sms). Like
every message to a reporter it names the office, the status and what comes next, and nothing personal."""
from kiosk.i18n import gettext as _
from kiosk.i18n import speaking

from . import words


def text_of(message):
    """The SMS telling `message` (kiosk.notify.sender.compose's namespace), in the reporter's language."""
    with speaking(message.language):
        stop = _("Reply STOP to end these SMS.")
        subject = words.plain(message.subject)
        steps = " ".join(part for part in (words.plain(message.said.next), stop) if part)
        return words.first_fitting(f"{subject}. {steps}", f"{subject}. {stop}", subject)
