"""Field checks that speak plainly, in the reporter's language."""
import datetime as dt
import re

from lokal import parse_nik, parse_phone
from wtforms import ValidationError

from kiosk.i18n import gettext
from kiosk.i18n import lazy_gettext as _l

from .deadlines import today

EARLIEST_YEAR = 1900


class DateProblem(Exception):
    """A date that cannot be read, with the box it is in (day, month or year) and a plain message."""

    def __init__(self, part, message):
        super().__init__(part)
        self.part, self.message = part, message


def date_parts(text):
    """(day, month, year) as typed in `text`: 'd/m/Y' (also with '-' or '.') or ISO 'Y-m-d'."""
    pieces = re.split(r"[/.-]", (text or "").strip())
    if len(pieces) == 3 and len(pieces[0]) == 4 and pieces[0].isdigit():
        pieces.reverse()  # ISO, from an old draft or a link
    return tuple(pieces) if len(pieces) == 3 else (text, "", "")


def parts_to_date(day, month, year):
    """The date of three typed boxes, strictly: whole numbers, a real day of a real month, four digits of
    a year; a DateProblem names the box that is wrong."""
    day, month, year = day.strip(), month.strip(), year.strip()
    for part, value, message in (("day", day, _l("Enter the day (tanggal).")),
                                 ("month", month, _l("Enter the month (bulan).")),
                                 ("year", year, _l("Enter the year (tahun)."))):
        if not value:
            raise DateProblem(part, message)
    if not (day.isdigit() and len(day) <= 2 and 1 <= int(day) <= 31):
        raise DateProblem("day", _l("The day (tanggal) is a number from 1 to 31."))
    if not (month.isdigit() and len(month) <= 2 and 1 <= int(month) <= 12):
        raise DateProblem("month", _l("The month (bulan) is a number from 1 to 12, for example 11 for November."))
    if not (year.isdigit() and len(year) == 4 and int(year) >= EARLIEST_YEAR):
        raise DateProblem("year", _l("The year (tahun) has four digits, for example 2026."))
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise DateProblem("day", _l("That month has no day %(day)s.", day=int(day))) from None


def parse_date(text):
    """The date in `text` ('d/m/Y' as a draft keeps it, or ISO), or None."""
    try:
        return parts_to_date(*date_parts(text or ""))
    except DateProblem:
        return None


def not_in_future(form, field):
    """A date that has not happened yet cannot be reported."""
    if field.data and field.data > today():
        raise ValidationError(gettext("“%(question)s”: the date cannot be in the future.", question=field.label.text))


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
