"""A phone number as the SMS channel keeps it: normalised to E.164 by lokal-id, hashed under the sender key
to count and match a number's messages, masked for staff's lists, sealed under the sender key to reply."""
from lokal import parse_phone

from .. import keys
from ..notify import addresses


def mobile(sender):
    """The sender as an Indonesian mobile number in E.164, or '' (an operator's name, a short code, a
    landline: service messages, never a person to answer)."""
    phone = parse_phone(sender or "")
    return phone.e164 if phone.valid and phone.type == "mobile" else ""


def hashed(number, secret=None):
    """The number's keyed hash (the same number, the same hash, at this office only)."""
    return keys.keyed_hash(secret or addresses.sender_key(), number, "sms-number")


def masked(number):
    """'+62812****7890' for a mobile number; a service sender's name as it came, cut short."""
    if number.startswith("+") and len(number) > 10:
        return number[:6] + "*" * (len(number) - 10) + number[-4:]
    return number[:20]
