"""The hub checks every row an office sends as a form is checked: nothing from the network is trusted. A
value of the right type (kiosk.sync.rows) must also be in range (dates in a sane window), one of its list
(statuses, categories, types of file), of its shape (JSON, region codes, numbers that carry the sending
office's own code) and within its length (kiosk.limits). A row that fails is refused with its table, field
and reason, and nothing of its batch is applied."""
import datetime as dt
import re

from flask import current_app

from .. import choices, completion, evidence, regions, tracking
from ..i18n import LANGUAGES
from ..limits import TEXT, USERNAME
from ..settings import MB
from ..store import is_sha256
from .signing import Refused

EARLIEST = dt.date(2000, 1, 1)
LATEST_AHEAD = dt.timedelta(days=400)  # the furthest a deadline may lie ahead of today
MAX_POSITION = 100  # witnesses or files of one report
ROMAN = "(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)"
# The most a sealed value can take, as base64: a report's sealed fields (their limits, as JSON, escaped),
# a witness's, a file's name, hash and key, and a sealed 32-byte key.
SEALED_REPORT, SEALED_WITNESS, SEALED_FILE, SEALED_KEY = 64 * 1024, 8 * 1024, 4 * 1024, 200
SEALED_NOTICES = 2 * 1024  # a reporter's channel, address and language (kiosk.notify.handover)
DETAIL_KEYS = {"registration_no", "decision_due", "completion_due", "reason", "agency", "agency_name", "outcome",
               "missing", "office", "transfer_reason", "from_office", "from_receipt"}


def _bad(table, field, why):
    return Refused(422, f"{table}.{field}: {why}")


def one_of(allowed, blank=False):
    """The value is a code of `allowed` (or empty, when `blank`)."""
    def check(value, row, office):
        if not (value in allowed or blank and value == ""):
            return "not one of the known values"
    return check


def text(limit):
    """A text of at most `limit` characters."""
    def check(value, row, office):
        if value is not None and len(value) > limit:
            return f"longer than {limit} characters"
    return check


def moment(ahead=dt.timedelta(days=1)):
    """A date or time from 2000 up to `ahead` of now."""
    def check(value, row, office):
        if value is None:
            return None
        day = value.date() if isinstance(value, dt.datetime) else value
        if not EARLIEST <= day <= dt.date.today() + ahead:
            return "outside the dates a report can have"
    return check


def born(value, row, office):
    if value is not None and not dt.date(1900, 1, 1) <= value <= dt.date.today():
        return "not a date of birth"


def receipt_no(value, row, office):
    if not re.fullmatch(rf"\d{{4,6}}/PL/{re.escape(office)}/{ROMAN}/\d{{4}}", value or ""):
        return f"not a receipt number of office {office}"


def registration_no(value, row, office):
    if value is not None and (len(value) > 60 or f"/{office}/" not in value):
        return f"not a registration number of office {office}"


def tracking_code(value, row, office):
    if not tracking.is_well_formed(value or ""):
        return "not a tracking code"


def never(value, row, office):
    if value is not None:
        return "is not sent to the hub"


def regency(value, row, office):
    if not regions.is_child(regions.PROVINCE, value):
        return "not a regency or city of Banten"


def district(value, row, office):
    if value == "" and row.get("channel") == "sms":
        return None  # a tip by SMS says where in its words: staff set the district when they know it
    if not regions.is_child(row.get("regency_code"), value):
        return "not a district of the report's regency"


def village(value, row, office):
    if value and not regions.is_child(row.get("district_code"), value):
        return "not a village of the report's district"


def kajian_checks(value, row, office):
    if value is not None and not (isinstance(value, dict) and set(value) <= set(choices.CHECKS)
                                  and all(isinstance(met, bool) for met in value.values())):
        return "not a checklist of the known requirements"


def status_detail(value, row, office):
    if not (isinstance(value, dict) and set(value) <= DETAIL_KEYS
            and all(isinstance(item, str) and len(item) <= TEXT["agency_name"]
                    for key, item in value.items() if key != "missing")):
        return "not a status change's detail"
    missing = value.get("missing", [])
    if not (isinstance(missing, list) and set(missing) <= set(completion.IDENTITY_FIELDS)):
        return "not a status change's detail"


def transfer_office(value, row, office):
    if value and (value == office or not regions.is_child(regions.PROVINCE, value)):
        return "not another office of Banten"


def transferred_from(value, row, office):
    if value and not re.fullmatch(r"[0-9a-f]{32}", value):
        return "not a report's UUID"


def addition_no(value, row, office):
    prefix, _, number = (value or "").rpartition("-L")
    if receipt_no(prefix, row, office) or not (number.isascii() and number.isdigit() and len(number) <= 3):
        return f"not an addition number of office {office}"


def position(value, row, office):
    if not 0 <= value < MAX_POSITION:
        return "not a position in the report's list"


def masked_nik(value, row, office):
    if value and not re.fullmatch(r"\d{4}\*{8}\d{4}", value):
        return "not a masked NIK"


def sealed(limit):
    """Sealed data: base64 of at most `limit` characters (what is inside is the office's and hub's to open)."""
    def check(value, row, office):
        if value and (len(value) > limit or not re.fullmatch(r"[A-Za-z0-9+/]+={0,2}", value)):
            return "not sealed data of its size"
    return check


def mime(value, row, office):
    if value not in evidence.ACCEPTED.values():
        return "not a type of file the corner accepts"


def size(value, row, office):
    if not 0 < value <= current_app.config["UPLOAD_MAX_MB"] * MB:
        return "not the size of a file the hub accepts"


def sha256(value, row, office):
    if not is_sha256(value):
        return "not 64 lowercase hex digits"


RULES = {
    "report": {
        "receipt_no": receipt_no, "tracking_code": tracking_code, "submit_key": never,
        "kind": one_of(choices.KINDS), "channel": one_of(choices.CHANNELS), "language": one_of(LANGUAGES),
        "submitted_at": moment(), "updated_at": moment(), "status": one_of(choices.STATUSES),
        "kajian_awal_due": moment(LATEST_AHEAD), "category": one_of(choices.CATEGORIES),
        "occurred_on": moment(), "learned_on": moment(), "regency_code": regency, "district_code": district,
        "village_code": village, "place_detail": text(TEXT["place_detail"]), "description": text(TEXT["description"]),
        "terlapor_name": text(TEXT["terlapor_name"]), "terlapor_role": one_of(choices.TERLAPOR_ROLES, blank=True),
        "reporter_type": one_of(choices.REPORTER_TYPES, blank=True), "reporter_nik_masked": masked_nik,
        "personal": sealed(SEALED_REPORT), "key_office": sealed(SEALED_KEY), "key_hub": sealed(SEALED_KEY),
        "indexed": never, "physical_evidence": text(TEXT["physical_evidence"]),
        "legal_category": one_of(choices.LEGAL_CATEGORIES, blank=True), "registration_no": registration_no,
        "kajian_checks": kajian_checks, "kajian_by": text(USERNAME), "kajian_at": moment(),
        "completion_due": moment(LATEST_AHEAD), "registered_on": moment(),
        "forwarded_to": one_of(choices.AGENCIES, blank=True),
        "outcome": one_of(choices.OUTCOMES, blank=True), "erased_on": moment(), "completed_at": moment(),
        "transfer_office": transfer_office, "transferred_from": transferred_from, "notices": sealed(SEALED_NOTICES),
    },
    "addition": {"kind": one_of(completion.KINDS), "at": moment(), "actor": text(USERNAME),
                 "receipt_no": addition_no, "personal": sealed(SEALED_REPORT), "key_office": sealed(SEALED_KEY),
                 "key_hub": sealed(SEALED_KEY)},
    "witness": {"position": position, "personal": sealed(SEALED_WITNESS)},
    "evidence": {"position": position, "blob": sha256, "mime": mime, "size": size, "personal": sealed(SEALED_FILE)},
    "status_event": {"status": one_of(choices.STATUSES), "at": moment(), "actor": text(USERNAME),
                     "public_note": text(TEXT["public_note"]), "internal_note": text(TEXT["internal_note"]),
                     "detail": status_detail},
}


def check_row(table, row, office):
    """Refuse (422) the decoded `row` of `table` from `office` unless every field passes its rule."""
    for field, rule in RULES[table].items():
        if field in row:
            why = rule(row[field], row, office)
            if why:
                raise _bad(table, field, why)
