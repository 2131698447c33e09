"""Personal data sealed at rest. Each report has a key of its own (32 random bytes) under which its
personal fields, its witnesses and its evidence files' names, hashes and keys are locked; the report's key is
sealed to the office's public key and, when the office knows it, to the hub's (KIOSK_HUB_KEY), so that
taking a report needs nothing secret and reading one needs the office's (or the hub's) private key, which
only a signed-in account holds. What stays readable is what the lists, deadlines and the hub's overview
need: kind, way in, category, dates, places, status, numbers, the reported party's name and role, and a
masked NIK."""
import datetime as dt
from types import SimpleNamespace

from flask import current_app
from lokal import partial_mask

from . import keys
from .keyring import Keyring

# The report's sealed fields, as the forms name them (dates as ISO text).
REPORT_FIELDS = ("terlapor_address", "terlapor_phone", "reporter_name", "reporter_nik", "reporter_birth_place",
                 "reporter_birth_date", "reporter_sex", "reporter_occupation", "reporter_nationality",
                 "reporter_address", "reporter_phone", "reporter_email")
WITNESS_FIELDS = ("name", "address", "phone")
EVIDENCE_FIELDS = ("filename", "sha256", "key", "stripped_sha256")  # the last: of `blob`, when it differs


class Unreadable(Exception):
    """Sealed data that this account cannot open: no office key in its session, or not sealed to it."""


def hub_key():
    """The hub's public key as the office knows it (KIOSK_HUB_KEY), or ''."""
    return current_app.config.get("HUB_KEY", "")


def seal_report_key(office_code, key):
    """The report's `key` sealed to the office and to the hub ('' while the office does not know the hub's
    key); NoKeys before `kiosk init-keys`."""
    hub = hub_key()
    return keys.seal(Keyring.public_key_of(office_code), key), keys.seal(hub, key) if hub else ""


def seal_fields(key, values, names):
    """The fields `names` of `values` (missing ones empty; dates as ISO text), locked under `key`."""
    plain = {}
    for name in names:
        value = values.get(name)
        plain[name] = value.isoformat() if isinstance(value, dt.date) else ("" if value is None else value)
    return keys.lock_json(key, plain)


def open_fields(key, sealed, names):
    """The sealed fields as a namespace (dates as text, as sealed); Unreadable when `key` does not open them."""
    try:
        values = keys.unlock_json(key, sealed) if sealed else {}
    except keys.Locked:
        raise Unreadable("the report's key does not open these fields")
    return SimpleNamespace(**{name: values.get(name, "") for name in names})


def masked_nik(nik):
    """A NIK as it stays readable: '3673********0002' (empty stays empty)."""
    return partial_mask("NIK", nik) if nik else ""


def report_key(report, private_key, hub=False):
    """The report's own key, opened with the office's (or, at the hub, the hub's) private key."""
    sealed = report.key_hub if hub else report.key_office
    if not private_key or not sealed:
        raise Unreadable("not sealed to this key")
    try:
        return keys.open_sealed(private_key, sealed)
    except keys.Locked:
        raise Unreadable("not sealed to this key")


def reseal_for_hub(report, office_key):
    """Seal the report's key to the hub too (a report taken before the office knew the hub's key); returns
    whether the report changed."""
    hub = hub_key()
    if report.key_hub or not hub:
        return False
    report.key_hub = keys.seal(hub, report_key(report, office_key))
    return True


def birth_date(text):
    """A sealed date of birth back as a date, or None."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def open_report(report, key, items=None, addition_key=None):
    """Everything sealed in the report, opened with its `key`: a namespace with `person` (its fields;
    `birth_date` a date), `witnesses` (in order) and `files` (evidence rows with their name, SHA-256 and key;
    a file added later opened with its addition's key, `addition_key(addition)`, and left out without one).
    Unreadable when `key` does not open it."""
    from .models import Evidence, Witness

    if items is None:
        items = list(report.evidence.order_by(Evidence.position))
    person = open_fields(key, report.personal, REPORT_FIELDS)
    witnesses = [open_fields(key, w.personal, WITNESS_FIELDS) for w in report.witnesses.order_by(Witness.position)]
    keys_of = {None: key}
    files = []
    for item in items:
        if item.addition_id not in keys_of:
            if addition_key is None:
                continue
            keys_of[item.addition_id] = addition_key(item.addition)
        files.append(SimpleNamespace(row=item, **vars(open_fields(keys_of[item.addition_id], item.personal,
                                                                  EVIDENCE_FIELDS))))
    person.birth_date = birth_date(person.reporter_birth_date)
    return SimpleNamespace(person=person, witnesses=witnesses, files=files)
