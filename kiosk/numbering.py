"""The office's document numbers: receipt numbers now, registration numbers in review."""
from .models import Counter

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def next_receipt_no(office_code, on):
    """The next receipt number of the office for the date `on`, e.g. '0042/PL/36.73/XI/2026'.
    The sequence restarts each year; call inside a write transaction."""
    seq = Counter.next(f"receipt:{office_code}:{on.year}")
    return f"{seq:04d}/PL/{office_code}/{ROMAN_MONTHS[on.month - 1]}/{on.year}"
