"""What is added to a report after filing (docs/domain.md, Completing a report): the reporter's answer
to a completion request, with files and the identity fields staff marked missing, sent with the tracking
code while the window is open; material the reporter brings to the office, attached by staff; and the
physical evidence staff receive. Each is an Addition with a key of its own, sealed to the office and the
hub like a report's (the person adding holds no key of the report); its files are evidence of the report,
checked and counted like those sent with it."""
from flask import current_app

from kiosk.i18n import lazy_gettext as _l

from . import keys, sealing
from .db import writing
from .deadlines import local_date, today
from .models import Addition, Evidence, Report, StatusEvent, utcnow

KINDS = {
    "completion": _l("Completed by the reporter"),
    "brought_in": _l("Brought to the office by the reporter"),
    "physical_received": _l("Physical evidence received"),
}
# The identity fields a reporter may complete, as the filing form names them (kiosk.sealing.REPORT_FIELDS).
IDENTITY_FIELDS = ("reporter_name", "reporter_nik", "reporter_birth_place", "reporter_birth_date",
                   "reporter_occupation", "reporter_nationality", "reporter_address", "reporter_phone")
FIELDS = ("text", *IDENTITY_FIELDS)
IDENTITY_LABELS = {
    "reporter_name": _l("Full name"), "reporter_nik": _l("NIK"), "reporter_birth_place": _l("Place of birth"),
    "reporter_birth_date": _l("Date of birth"), "reporter_occupation": _l("Occupation"),
    "reporter_nationality": _l("Nationality"), "reporter_address": _l("Address"),
    "reporter_phone": _l("Phone number"),
}


class Closed(Exception):
    """The report no longer takes a completion: its window closed, or it was completed already."""


def missing_of(report):
    """The identity fields staff marked missing in their latest completion request (a formal report only)."""
    if report.kind != "formal":
        return []
    event = (report.events.where(StatusEvent.status == "perlu_dilengkapi")
             .order_by(StatusEvent.at.desc(), StatusEvent.change_seq.desc()).first())
    return [name for name in (event.detail or {}).get("missing", []) if name in IDENTITY_FIELDS] if event else []


def window_open(report, on=None):
    """Whether the reporter may complete `report` now: staff asked for it, the due day has not passed (the
    office's day, Asia/Jakarta), and it was not completed since."""
    return (report.status == "perlu_dilengkapi" and report.completion_due is not None
            and report.completed_at is None and (on or today()) <= report.completion_due)


def files_left(report):
    """How many more files the report may take (KIOSK_UPLOAD_MAX_FILES in all, what was added included)."""
    return max(current_app.config["UPLOAD_MAX_FILES"] - report.evidence.count(), 0)


def add(report, kind, values, stored=(), actor=""):
    """Keep an addition of `kind` to `report`: `values` (FIELDS: the text, and identity fields) sealed
    under a new key, and the `stored` files (evidence.Stored, checked already). A reporter's completion
    closes the window (Closed when it was not open). Returns (the Addition, its key)."""
    key = keys.new_secret()
    key_office, key_hub = sealing.seal_report_key(report.office_code, key)
    with writing():
        report = Report.get_by_id(report.id)  # again, under the write lock: the window may just have closed
        if kind == "completion" and not window_open(report):
            raise Closed()
        now = utcnow()
        number = report.additions.count() + 1
        addition = Addition(report=report, kind=kind, at=now, actor=actor, receipt_no=f"{report.receipt_no}-L{number}",
                            personal=sealing.seal_fields(key, values, FIELDS), key_office=key_office, key_hub=key_hub)
        addition.save(force_insert=True)
        position = (report.evidence.select(Evidence.position).order_by(Evidence.position.desc()).scalar() or 0) + 1
        for offset, item in enumerate(stored):
            Evidence(report=report, addition=addition, position=position + offset, blob=item.blob,
                     original=item.original, mime=item.mime, size=item.size, personal=sealing.seal_fields(key, item.as_dict(), sealing.EVIDENCE_FIELDS)
                     ).save(force_insert=True)
        if kind == "completion":
            report.completed_at = now
        report.needs_review, report.updated_at = True, now
        report.save()
    return addition, key


def completed_on(report):
    """The office's day the reporter completed the report, or None."""
    return local_date(report.completed_at) if report.completed_at else None


def addition_key(addition, private_key, hub=False):
    """The addition's own key, opened with the office's (at the hub, the hub's) private key."""
    return sealing.report_key(addition, private_key, hub=hub)
