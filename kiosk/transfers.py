"""Transfers between offices (pelimpahan): a report about another regency goes to the Bawaslu competent for
it through the hub. Staff at the sending office choose *Dilimpahkan* (kiosk.staff.workflow); the office's next
sync brings the report to the hub, which holds it for the receiving office; the report's key is sealed to the
receiving office by a provincial account holding the hub's key (`seal_waiting`, at its sign-in); the receiving
office fetches it at its own sync, stores it as a new report of its own (`store`) and tells the hub, which tells
the sending office (`mark_arrived`). The wire side is kiosk.sync.transfers.

One `Transfer` row per transferred report, keyed by the original report's UUID, at each place that knows of it:
at the hub its state moves held → sealed → stored → done; the receiving office keeps it 'stored' (a second
fetch of the same transfer finds it and stores nothing); the sending office keeps it 'arrived'."""
import hashlib
import json
import uuid

import peewee as pw

from . import keys, regions, sealing
from .db import BaseModel, writing
from .models import JSONText, Report, utcnow
from .office import CONTACT_FIELDS, OfficeProfile, contact

# The hub's states, in order; 'arrived' is the sending office's, 'stored' also the receiving office's.
HELD, SEALED, STORED, DONE, ARRIVED = "held", "sealed", "stored", "done", "arrived"
IN_FLIGHT = (HELD, SEALED, STORED)
CONTACT_LIMIT = 500  # characters of one contact field an office gives the hub (its own form allows fewer)


class Transfer(BaseModel):
    """One transferred report, as the hub, the receiving office or the sending office knows it."""

    report = pw.UUIDField(primary_key=True)  # the original report, at the sending office
    from_office = pw.CharField()
    to_office = pw.CharField()
    tracking_code = pw.CharField()
    receipt_no = pw.CharField()  # the sending office's number
    state = pw.CharField()
    held_at = pw.DateTimeField(null=True)
    sealed_at = pw.DateTimeField(null=True)
    stored_at = pw.DateTimeField(null=True)  # the receiving office stored it
    done_at = pw.DateTimeField(null=True)  # the sending office was told (at the hub), or learnt it (there)
    key_receiver = pw.TextField(default="")  # the report's key sealed to the receiving office (at the hub)
    addition_keys = JSONText(null=True)  # {addition UUID hex: its key sealed to the receiving office}
    new_report = pw.CharField(default="")  # the receiving office's report (UUID hex)
    new_receipt_no = pw.CharField(default="")  # and its number there
    contact = JSONText(null=True)  # the receiving office's contact details, as it gave them (kiosk.office)

    class Meta:
        table_name = "transfer"
        indexes = ((("to_office", "state"), False), (("from_office", "state"), False), (("tracking_code",), False))


class OfficeSealKey(BaseModel):
    """At the hub: an office's public key (kiosk.keyring), which it gives at every sync, for sealing the reports
    transferred to it, and its contact details for the reporters whose reports it receives."""

    office_code = pw.CharField(primary_key=True)
    public_key = pw.CharField()
    contact = JSONText(null=True)
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "office_seal_key"


MODELS = [Transfer, OfficeSealKey]


def receivers(office_code):
    """The offices a report of `office_code` may be transferred to: Banten's other kabupaten/kota offices (the
    province's hub receives no transfers: it keeps no reports of its own)."""
    return [(code, regions.office_name(code)) for code, _name in regions.regencies() if code != office_code]


def of(report):
    """The Transfer this place keeps of `report` (sent from it, or received as it), or None."""
    if report.transferred_from:
        try:
            return Transfer.get_or_none(Transfer.report == uuid.UUID(hex=report.transferred_from))
        except ValueError:
            return None
    return Transfer.get_or_none(Transfer.report == report.id) if report.status == "dilimpahkan" else None


def current(digits):
    """The report a tracking code leads to here, where it is now: the original, or the report it became at the
    office it was transferred to, when this place holds that one (the hub; the receiving office holds only its
    own). A report counts as the next one only when it came from that report and is at the office it was sent to."""
    found = list(Report.select().where(Report.tracking_code == digits).order_by(Report.submitted_at))

    def next_of(report):
        return next((r for r in found if report.status == "dilimpahkan" and r.office_code == report.transfer_office
                     and r.transferred_from == report.id.hex), None)

    following = {after.id for after in map(next_of, found) if after}
    report = next((r for r in found if r.id not in following), found[0] if found else None)
    for _step in found:  # a chain is never longer than the reports with the code
        after = next_of(report) if report else None
        if after is None:
            break
        report = after
    return report


def where_now(report):
    """For the status page: (office code, Transfer or None) of where the report is now when it was transferred
    away from here, else None."""
    if report.status != "dilimpahkan" or not report.transfer_office:
        return None
    return report.transfer_office, Transfer.get_or_none(Transfer.report == report.id)


def contact_of(office_code, transfer=None):
    """An office's contact details as known here: its profile at this place, or what it gave the hub (kept with
    the transfer at the sending office, or with its key at the hub); its empty profile otherwise."""
    profile = contact(office_code)
    if profile.has_contact:
        return profile
    given = transfer.contact if transfer is not None and transfer.contact else None
    if given is None:
        row = OfficeSealKey.get_or_none(OfficeSealKey.office_code == office_code)
        given = row.contact if row is not None else None
    if not isinstance(given, dict):
        return profile
    return OfficeProfile(office_code=office_code, **{name: given[name] for name in CONTACT_FIELDS if isinstance(
        given.get(name), str) and name not in ("all_day_from", "all_day_to")})


# ---- At the hub ---------------------------------------------------------------------------------------------

def hold(office_code, reports):
    """Hold for their receiving office the reports of a batch from `office_code` that are transferred (rows as
    decoded by kiosk.sync.rows and checked by kiosk.sync.checks); inside the batch's transaction, so the rows and
    the transfer commit together. A transfer held already is left as it is."""
    rows = [dict(report=row["id"], from_office=office_code, to_office=row["transfer_office"],
                 tracking_code=row["tracking_code"], receipt_no=row["receipt_no"], state=HELD, held_at=utcnow())
            for row in reports if row.get("status") == "dilimpahkan" and row.get("transfer_office")]
    if rows:
        Transfer.insert_many(rows).on_conflict_ignore().execute()


def given_contact(values):
    """The contact details an office gives the hub, as the hub keeps them: the known text fields, bounded."""
    if not isinstance(values, dict):
        return None
    return {name: value[:CONTACT_LIMIT] for name, value in values.items()
            if name in CONTACT_FIELDS and isinstance(value, str) and value}


def digest(public_key, contact):
    """A short fingerprint of what an office gave the hub, so that it gives it again only when it changed."""
    text = json.dumps({"public_key": public_key, "contact": contact}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def news_for(office_code):
    """What the hub tells an office in its sync's last answer, so that a sync with nothing to transfer costs no
    request more: how many transfers wait for it, how many of its own arrived, and the fingerprint of the key
    and contact it holds from it."""
    row = OfficeSealKey.get_or_none(OfficeSealKey.office_code == office_code)
    waiting = Transfer.select().where(Transfer.to_office == office_code, Transfer.state == SEALED).count()
    arrived = Transfer.select().where(Transfer.from_office == office_code, Transfer.state == STORED).count()
    return {"waiting": waiting, "arrived": arrived,
            "registered": digest(row.public_key, row.contact) if row is not None else ""}


def register_key(office_code, public_key, contact):
    """Keep the office's public key and contact details (what it gave at its sync); a transfer sealed to a key
    it no longer has is sealed again."""
    with writing():
        before = OfficeSealKey.get_or_none(OfficeSealKey.office_code == office_code)
        OfficeSealKey.insert(office_code=office_code, public_key=public_key, contact=contact,
                             updated_at=utcnow()).on_conflict(
            conflict_target=[OfficeSealKey.office_code],
            update={OfficeSealKey.public_key: public_key, OfficeSealKey.contact: contact,
                    OfficeSealKey.updated_at: utcnow()}).execute()
        if before is not None and before.public_key != public_key:
            Transfer.update(state=HELD, key_receiver="", addition_keys=None, sealed_at=None).where(
                Transfer.to_office == office_code, Transfer.state == SEALED).execute()


def seal_waiting(hub_key):
    """Seal the key of every held report (and of its additions) to its receiving office, with the hub's private
    key `hub_key` of a signed-in provincial account; returns how many. A report whose key was never sealed to
    the hub, or whose receiving office has not given its key yet, waits."""
    from .models import Addition

    waiting = list(Transfer.select().where(Transfer.state == HELD))
    offices = dict(OfficeSealKey.select(OfficeSealKey.office_code, OfficeSealKey.public_key).tuples())
    sealed = 0
    for transfer in waiting:
        receiver = offices.get(transfer.to_office)
        report = Report.get_or_none(Report.id == transfer.report)
        if not receiver or report is None:
            continue
        try:
            key = sealing.report_key(report, hub_key, hub=True)
            added = {addition.id.hex: keys.seal(receiver, sealing.report_key(addition, hub_key, hub=True))
                     for addition in report.additions.order_by(Addition.at)}
        except sealing.Unreadable:
            continue
        with writing():
            Transfer.update(state=SEALED, key_receiver=keys.seal(receiver, key), addition_keys=added,
                            sealed_at=utcnow()).where(Transfer.report == transfer.report,
                                                      Transfer.state == HELD).execute()
        sealed += 1
    return sealed


def in_flight():
    """The transfers not yet complete, oldest first, for the provincial overview."""
    return list(Transfer.select().where(Transfer.state.in_(IN_FLIGHT)).order_by(Transfer.held_at))
