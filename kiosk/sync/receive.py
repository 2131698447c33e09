"""An office's side of transfers between offices (kiosk.transfers), at the end of each `kiosk sync`: it gives the
hub its public key and contact details, fetches what is addressed to it (signed GETs), stores each report as a
new one of its own, then tells the hub what it stored and which arrivals of its own transfers it has learnt.

Crash safety: evidence is fetched first (by hash, checked against its SHA-256; a file held already is not
fetched again), then the report is stored in one transaction with the Transfer row that records it, and only
then acknowledged. A run killed anywhere is simply run again: a transfer stored already is found by its
original's UUID and not stored twice (it is acknowledged again), and the hub keeps offering what it has not
heard back about."""
import json
import uuid
import zlib

from .. import hours, regions, transfers
from ..db import writing
from ..deadlines import kajian_awal_due, local_date
from ..keyring import Keyring
from ..models import Addition, Evidence, Report, StatusEvent, Witness, utcnow
from ..notify import handover
from ..numbering import next_receipt_no
from ..office import CONTACT_FIELDS, contact
from ..store import Mismatch, evidence_store
from .checks import check_row
from .client import MAX_PAGE, SyncError
from .rows import decode
from .signing import Refused

MAX_ROUNDS = 50  # pages of transfers in one run (20 each): the rest waits for the next run
# The report's columns the receiving office starts afresh: its own number, review, deadlines and assignment.
AFRESH = {"id", "change_seq", "office_code", "receipt_no", "submit_key", "indexed", "status", "registration_no",
          "registered_on", "kajian_checks", "kajian_by", "kajian_at", "completion_due", "completed_at", "needs_review",
          "forwarded_to", "outcome", "due_on", "assigned_to", "transfer_office", "transferred_from", "election_id",
          "legal_category", "submitted_at", "updated_at", "kajian_awal_due", "key_office", "notices"}


def get(hub, endpoint):
    """The hub's gzipped JSON answer to a signed GET of `endpoint`, as an object; SyncError otherwise."""
    hub.tally.requests += 1
    status, reason, answer, kind = hub._exchange("GET", endpoint, b"", {})
    hub.tally.received += len(answer)
    if status != 200 or kind != "application/json":
        raise SyncError(f"hub refused {endpoint} ({status}): {reason}")
    unpack = zlib.decompressobj(wbits=31)
    try:
        page = json.loads(unpack.decompress(answer, MAX_PAGE))
    except (zlib.error, ValueError):
        raise SyncError(f"the hub's answer to {endpoint} is not gzipped JSON")
    if unpack.unconsumed_tail or not isinstance(page, dict):
        raise SyncError(f"the hub's answer to {endpoint} is too large or not an object")
    return page


def fetch_evidence(hub, config, rows):
    """Make sure the store holds every evidence file of a transferred report, fetched from the hub by hash and
    checked against it; SyncError when the hub has no good copy (the transfer waits for the next run)."""
    store = evidence_store(config)
    for row in rows:
        sha256 = row["blob"]
        if store.has(sha256):
            continue
        hub.tally.requests += 1
        status, reason, data, _kind = hub._exchange("GET", f"transfers/evidence/{sha256}", b"", {})
        hub.tally.received += len(data)
        if status != 200:
            raise SyncError(f"hub refused transfers/evidence ({status}): {reason}")
        try:
            store.put_bytes(data, expected=sha256)
        except Mismatch:
            raise SyncError(f"the hub's copy of a transferred file does not match its hash ({sha256})")
        hub.tally.files += 1
        hub.tally.file_bytes += len(data)


def checked(item, here):
    """The rows of one transfer from the network, decoded and checked as the hub checks an office's rows (against
    the sending office), or Refused; the transfer must be addressed to this office."""
    if not isinstance(item, dict) or not isinstance(item.get("rows"), dict):
        raise Refused(400, "a transfer is an object with its rows")
    sender = item.get("from_office")
    if not isinstance(sender, str) or not regions.is_child(regions.PROVINCE, sender) or sender == here:
        raise Refused(422, "a transfer from an unknown office")
    report = decode("report", item.get("report"))
    check_row("report", report, sender)
    if report.get("office_code") != sender or report.get("transfer_office") != here \
            or report.get("status") != "dilimpahkan" or item.get("transfer") != report["id"].hex:
        raise Refused(422, "a transfer not addressed to this office")
    rows = {}
    for name in ("witness", "addition", "evidence", "status_event"):
        listed = item["rows"].get(name, [])
        if not isinstance(listed, list):
            raise Refused(400, f"{name}: rows must be a list")
        rows[name] = [decode(name, row) for row in listed]
        for row in rows[name]:
            check_row(name, row, sender)
            if row["report"] != report["id"]:
                raise Refused(422, f"{name}: a row of another report")
    sealed = [item.get("key")] + list((item.get("addition_keys") or {}).values())
    if not all(isinstance(key, str) and len(key) < 200 for key in sealed) \
            or set(item.get("addition_keys") or {}) != {row["id"].hex for row in rows["addition"]}:
        raise Refused(422, "a transfer's keys do not match its rows")
    return sender, report, rows


def store(config, sender, original, rows, key, addition_keys):
    """Store a transferred report as a new report of this office, its personal data left sealed under the
    report's key, which the hub sealed to this office (`key`); returns (Transfer, created). One transaction,
    with the Transfer row: a report stored already is not stored again."""
    here = config["OFFICE_CODE"]
    with writing():
        known = transfers.Transfer.get_or_none(transfers.Transfer.report == original["id"])
        if known is not None:
            return known, False
        now = utcnow()
        number = next_receipt_no(here, local_date(now))
        report = Report(**{name: value for name, value in original.items() if name not in AFRESH},
                        office_code=here, receipt_no=number, status="diterima", submitted_at=now, updated_at=now,
                        kajian_awal_due=kajian_awal_due(hours.counted_on(here, now)), key_office=key,
                        transferred_from=original["id"].hex)
        report.due_on = report.kajian_awal_due
        report.save(force_insert=True)
        handover.keep(report, original.get("notices"))  # the reporter's messages, taken on at a sign-in here
        made = {}
        for row in sorted(rows["addition"], key=lambda row: row["at"]):
            suffix = row.get("receipt_no", "").rpartition("-L")[2]
            made[row["id"]] = Addition.create(
                report=report, kind=row["kind"], at=row["at"], actor=row.get("actor", ""),
                receipt_no=f"{number}-L{suffix}" if suffix else "", personal=row.get("personal", ""),
                key_office=addition_keys[row["id"].hex], key_hub=row.get("key_hub", ""))
        for row in rows["witness"]:
            Witness(report=report, position=row.get("position", 0), personal=row.get("personal", "")).save(force_insert=True)
        for row in rows["evidence"]:
            Evidence(report=report, addition=made.get(row.get("addition")), position=row.get("position", 0),
                     blob=row["blob"], mime=row["mime"], size=row["size"],
                     personal=row.get("personal", "")).save(force_insert=True)
        for row in rows["status_event"]:
            StatusEvent(report=report, status=row["status"], at=row["at"], actor=row.get("actor", ""),
                        public_note=row.get("public_note", ""), internal_note=row.get("internal_note", ""),
                        detail=row.get("detail") or {}).save(force_insert=True)
        StatusEvent(report=report, status="diterima", at=now, actor="system",
                    detail={"from_office": sender, "from_receipt": original["receipt_no"]}).save(force_insert=True)
        transfer = transfers.Transfer.create(
            report=original["id"], from_office=sender, to_office=here, tracking_code=original["tracking_code"],
            receipt_no=original["receipt_no"], state=transfers.STORED, stored_at=now, new_report=report.id.hex,
            new_receipt_no=number)
    return transfer, True


def mark_arrived(here, item):
    """Record at the sending office that its transfer `item` (from the hub's list of arrivals) was stored by the
    office it went to; returns the original's UUID hex, or None for what is not this office's."""
    found = _uuid(item.get("transfer")) if isinstance(item, dict) else None
    report = Report.get_or_none(Report.id == found) if found else None
    if report is None or report.office_code != here or report.status != "dilimpahkan":
        return None
    number = item.get("new_receipt_no")
    with writing():
        transfers.Transfer.insert(
            report=report.id, from_office=here, to_office=report.transfer_office, tracking_code=report.tracking_code,
            receipt_no=report.receipt_no, state=transfers.ARRIVED, done_at=utcnow(),
            new_receipt_no=number[:60] if isinstance(number, str) else "",
            contact=transfers.given_contact(item.get("contact"))).on_conflict_ignore().execute()
    return report.id.hex


def _uuid(value):
    try:
        return uuid.UUID(hex=value) if isinstance(value, str) and len(value) == 32 else None
    except ValueError:
        return None


def own_contact(code):
    """This office's contact details as it gives them to the hub (text fields only)."""
    profile = contact(code)
    return transfers.given_contact({name: getattr(profile, name) for name in CONTACT_FIELDS})


def exchange(hub, config, answer):
    """The transfers' part of a sync, after the hub's `answer` to the last batch said what there is: give the key
    (when the hub lacks it or it changed), fetch and store what is addressed here, tell the hub. A sync with
    nothing to transfer sends nothing more. Returns (stored, arrived) counts."""
    here = config["OFFICE_CODE"]
    news = answer.get("transfers") if isinstance(answer, dict) else None
    if not isinstance(news, dict) or not Keyring.exists(here):
        return 0, 0  # a hub without transfers; or no key pair yet (`kiosk init-keys`): nothing is sealed to it
    mine = {"public_key": Keyring.public_key_of(here), "contact": own_contact(here)}
    if news.get("registered") != transfers.digest(mine["public_key"], mine["contact"]):
        hub.post("transfers/key", mine)
    if not news.get("waiting") and not news.get("arrived"):
        return 0, 0
    stored_count = arrived_count = 0
    for _round in range(MAX_ROUNDS):
        page = get(hub, "transfers")
        stored, seen = [], []
        for item in page.get("transfers", []) if isinstance(page.get("transfers"), list) else []:
            try:
                sender, original, rows = checked(item, here)
            except Refused as refused:
                raise SyncError(f"a transfer from the hub was refused: {refused.message}")
            fetch_evidence(hub, config, rows["evidence"])
            transfer, created = store(config, sender, original, rows, item["key"], item.get("addition_keys") or {})
            stored.append({"transfer": transfer.report.hex, "new_report": transfer.new_report,
                           "receipt_no": transfer.new_receipt_no})
            stored_count += created
        for item in page.get("arrived", []) if isinstance(page.get("arrived"), list) else []:
            marked = mark_arrived(here, item)
            if marked:
                seen.append(marked)
                arrived_count += 1
        if stored or seen:
            hub.post("transfers/ack", {"stored": stored, "seen": seen})
        if not page.get("more"):
            break
    return stored_count, arrived_count
