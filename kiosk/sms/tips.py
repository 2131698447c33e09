"""A LAPOR message made into a tip (informasi awal) of channel 'sms': the same rows as a tip from the web
(kiosk.lapor.submit), with the message as its description and the sender's number as its sealed contact.
What the message does not say (the category, the district, the day it happened) waits for staff: the
office's own regency, 'something else', and the day it arrived."""
from flask import current_app

from .. import hours, limits, sealing, tracking
from .. import keys as crypto
from ..deadlines import is_late, kajian_awal_due, local_date
from ..models import Report, StatusEvent
from ..numbering import next_receipt_no


def create_tip(text, e164, language, received_at):
    """Store `text` from the number `e164` as a tip; call inside a write transaction. Returns the report."""
    office = current_app.config["OFFICE_CODE"]
    key = crypto.new_secret()
    key_office, key_hub = sealing.seal_report_key(office, key)
    received_on = local_date(received_at)
    code = tracking.new_code()
    while Report.select(Report.id).where(Report.tracking_code == code).exists():
        code = tracking.new_code()
    personal = {name: "" for name in sealing.REPORT_FIELDS}
    personal["reporter_phone"] = e164
    report = Report(
        office_code=office, receipt_no=next_receipt_no(office, received_on), tracking_code=code, kind="tip",
        channel="sms", submitted_at=received_at, language=language, late=is_late(received_on, received_on),
        kajian_awal_due=kajian_awal_due(hours.counted_on(office, received_at)), declared_true=False, updated_at=received_at,
        category="lainnya", occurred_on=received_on, learned_on=received_on, regency_code=office, district_code="",
        description=text[:limits.TEXT["description"]], key_office=key_office, key_hub=key_hub,
        personal=sealing.seal_fields(key, personal, sealing.REPORT_FIELDS))
    report.due_on = report.kajian_awal_due  # in the work's queue from the start, like any report
    report.save(force_insert=True)
    StatusEvent(report=report, status="diterima", at=received_at, actor="system").save(force_insert=True)
    return report
