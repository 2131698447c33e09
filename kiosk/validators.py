"""Field checks that speak plainly, in the reporter's language."""
import datetime as dt

from lokal import parse_nik, parse_phone
from wtforms import ValidationError

from kiosk.i18n import lazy_gettext as _l

from .deadlines import today

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
DATE_INVALID = _l("Enter a real date, for example 17/11/2026.")


def parse_date(text):
    """The date in `text` written in any of the accepted formats, or None."""
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime((text or "").strip(), fmt).date()
        except ValueError:
            continue
    return None


def not_in_future(form, field):
    """A date that has not happened yet cannot be reported."""
    if field.data and field.data > today():
        raise ValidationError(_l("The date cannot be in the future."))


def not_before(other_name, message):
    """The date must not be earlier than the date in field `other_name`."""

    def check(form, field):
        other = form[other_name].data
        if field.data and other and field.data < other:
            raise ValidationError(message)

    return check


def valid_nik(form, field):
    """A NIK must have a NIK's structure: 16 digits, a known province, a real birth date."""
    if not field.data:
        return
    info = parse_nik(field.data)
    if info.nik is None:
        raise ValidationError(_l("A NIK has exactly 16 digits, as printed on the KTP."))
    if not info.valid:
        raise ValidationError(_l("This is not a valid NIK. Check the 16 digits on the KTP."))


def valid_phone(form, field):
    """An Indonesian phone number, mobile or landline, written any common way."""
    if field.data and not parse_phone(field.data).valid:
        raise ValidationError(_l("Enter an Indonesian phone number, for example 0812 3456 7890."))


def mobile_number(form, field):
    """A WhatsApp number is a mobile one."""
    if field.data and parse_phone(field.data).valid and not parse_phone(field.data).whatsapp:
        raise ValidationError(_l("WhatsApp needs a mobile number, for example 0812 3456 7890."))


def one_of(choices, message):
    """The value must be one of `choices` (a mapping or a callable giving one)."""

    def check(form, field):
        allowed = choices() if callable(choices) else choices
        if field.data and field.data not in allowed:
            raise ValidationError(message)

    return check
