"""The office's document numbers: receipt numbers now, registration numbers in review."""
from . import regions
from .models import Counter

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def next_receipt_no(office_code, on):
    """The next receipt number of the office for the date `on`, e.g. '0042/PL/36.73/XI/2026'.
    The sequence restarts each year; call inside a write transaction."""
    seq = Counter.next(f"receipt:{office_code}:{on.year}")
    return f"{seq:04d}/PL/{office_code}/{ROMAN_MONTHS[on.month - 1]}/{on.year}"


def office_level(office_code):
    """'Prov' for the provincial office, 'Kota' for a city's, 'Kab' for a regency's."""
    if office_code == regions.PROVINCE:
        return "Prov"
    return "Kota" if regions.name(office_code).startswith("Kota") else "Kab"


def next_registration_no(office_code, on, pattern=None):
    """The next registration number of the office for a report registered on `on`, by the election's
    `pattern` (kiosk.deadlines.Rules), e.g. '001/Reg/LP/PL/Kota/36.73/XI/2026' for a Pemilu or
    '06/Reg/L.P/PB/Kab/36.01/XI/2029' for a Pilkada. The sequence restarts each year; call inside a write
    transaction."""
    from .deadlines import Rules

    seq = Counter.next(f"registration:{office_code}:{on.year}")
    return (pattern or Rules.registration_pattern).format(
        seq=seq, level=office_level(office_code), office=office_code, month=ROMAN_MONTHS[on.month - 1], year=on.year)
