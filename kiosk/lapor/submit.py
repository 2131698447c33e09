"""Turning a finished draft into a stored report: checked whole, written in one transaction, and
idempotent, so that a double tap or a browser retry makes exactly one report."""
from flask import current_app
from flask_babel import get_locale
from lokal import is_valid_nik, parse_phone

from .. import elections, hours, sealing, tracking
from ..db import writing
from ..deadlines import is_late, kajian_awal_due, local_date
from ..models import Draft, Evidence, Report, StatusEvent, Witness, utcnow
from ..numbering import next_receipt_no
from .forms import step_form
from .steps import sequence


def check_all(data):
    """Validate every step of the draft. Returns (forms by step, the first step with errors or None)."""
    forms, first_bad = {}, None
    for step in sequence(data):
        form = step_form(step, data)
        if form is None:
            continue
        forms[step] = form
        if not form.validate() and first_bad is None:
            first_bad = step
    return forms, first_bad


def _phone(text):
    """A phone number as stored: E.164 when it parses, else as typed (empty stays empty)."""
    return (parse_phone(text).e164 or text) if text else ""


def _text(field):
    """A text answer, trimmed; empty when it was never given."""
    return (field.data or "").strip() if isinstance(field.data, str) or field.data is None else field.data


def _report_fields(data, forms):
    """The report's columns from the validated step forms."""
    event, terlapor, bukti = forms["kejadian"], forms["terlapor"], forms["bukti"]
    fields = {name: _text(field) for name, field in terlapor._fields.items()}
    fields.update(
        category=event.category.data, occurred_on=event.occurred_on.data, learned_on=event.learned_on.data,
        regency_code=event.regency.data, district_code=event.district.data, village_code=_text(event.village),
        place_detail=_text(event.place_detail), description=_text(event.description), election=event.election.data or "",
        physical_evidence=_text(bukti.physical_desc) if bukti.physical.data else "",
    )
    person = forms.get("pelapor") or forms.get("kontak")
    fields.update({name: _text(field) for name, field in person._fields.items()})
    for name in ("terlapor_phone", "reporter_phone"):
        fields[name] = _phone(fields[name])
    return fields


def identity_complete(kind, fields):
    """Whether a formal report's reporter gave a valid NIK, a name, an address and a phone: what the kajian
    awal's first check suggests, kept readable because the check is made on the list of every report."""
    return kind == "formal" and is_valid_nik(fields["reporter_nik"]) and all(
        fields[name].strip() for name in ("reporter_name", "reporter_address", "reporter_phone"))


def create_report(data, submit_key, key, declared_true, forms=None):
    """Store the draft as a report with its witnesses, evidence and first status event, exactly once
    for `submit_key`; its personal data sealed under `key` (the draft's), which is sealed in turn to the
    office (and the hub). Returns (report, created). Call only when `check_all` found no errors (its
    `forms` may be given, to spare checking again)."""
    forms = forms or check_all(data)[0]
    office = current_app.config["OFFICE_CODE"]
    key_office, key_hub = sealing.seal_report_key(office, key)
    with writing():
        existing = Report.select(Report.id).where(Report.submit_key == submit_key).scalar()
        if existing:
            return Report.get_by_id(existing), False
        now = utcnow()
        received_on = local_date(now)
        fields = _report_fields(data, forms)
        election = elections.chosen(office, fields.pop("election", ""))
        rules = election.rule_set if election else None
        personal = {name: fields.pop(name, "") for name in sealing.REPORT_FIELDS}  # a tip has a few of them
        code = tracking.new_code()
        while Report.select(Report.id).where(Report.tracking_code == code).exists():
            code = tracking.new_code()
        report = Report(
            office_code=office, receipt_no=next_receipt_no(office, received_on), tracking_code=code,
            submit_key=submit_key, kind=data["kind"], channel=data.get("channel", "web"), submitted_at=now,
            language=str(get_locale()),
            late=is_late(fields["learned_on"], received_on, rules),
            kajian_awal_due=kajian_awal_due(hours.counted_on(office, now), rules),
            election_id=election.id if election else "",
            declared_true=declared_true, updated_at=now, reporter_nik_masked=sealing.masked_nik(personal["reporter_nik"]),
            identity_complete=identity_complete(data["kind"], personal), key_office=key_office, key_hub=key_hub,
            personal=sealing.seal_fields(key, personal, sealing.REPORT_FIELDS), **fields)
        report.due_on = report.kajian_awal_due
        report.save(force_insert=True)
        for position, witness in enumerate(data.get("witnesses", [])):
            witness = dict(witness, phone=_phone(witness.get("phone", "")))
            Witness(report=report, position=position,
                    personal=sealing.seal_fields(key, witness, sealing.WITNESS_FIELDS)).save(force_insert=True)
        for position, item in enumerate(data.get("evidence", [])):
            Evidence(report=report, position=position, blob=item["blob"], original=item.get("original", ""),
                     mime=item["mime"], size=item["size"], personal=sealing.seal_fields(key, item, sealing.EVIDENCE_FIELDS)).save(force_insert=True)
        StatusEvent(report=report, status="diterima", at=now, actor="system").save(force_insert=True)
        Draft.delete().where(Draft.id == submit_key).execute()  # its files now belong to the report
    return report, True
