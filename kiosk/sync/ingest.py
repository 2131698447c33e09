"""The hub applying an office's batch: every row must belong to that office, each table is upserted
by UUID, and a row replaces the hub's copy only when its change number is higher, so a batch that
arrives twice or out of order never takes anything backwards and never makes a second copy."""
import peewee as pw

from .. import tallies, transfers
from ..db import db
from ..models import Addition, Evidence, Report, utcnow
from ..store import is_sha256
from . import bulk
from .checks import check_row
from .rows import CHILD_TABLES, TABLES, decode
from .signing import Refused

# More changes than an office makes in decades: a change number further ahead than this of the office's last
# one is a forged or broken row, and were it applied the office's real updates could never win again.
MAX_SEQUENCE_JUMP = 100_000_000
# Rows in one batch: above what an office sends by default (KIOSK_SYNC_BATCH, 15,000), the most `--batch-size`
# takes, well below the bound variables a query of their ids may take (SQLite 32,766; PostgreSQL 65,535).
MAX_ROWS = 20_000


def read_payload(payload):
    """(after, upto, final, rows by table) from a batch body; Refused(400/422) when malformed."""
    if not isinstance(payload, dict):
        raise Refused(400, "a batch must be a JSON object")
    after, upto, raw = payload.get("after"), payload.get("upto"), payload.get("rows", {})
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in (after, upto)) or upto < after:
        raise Refused(400, "a batch needs whole numbers after <= upto")
    if not isinstance(raw, dict):
        raise Refused(400, "rows must be an object of tables")
    unknown = set(raw) - set(TABLES)
    if unknown:
        raise Refused(422, f"unknown table {sorted(unknown)[0]}: upgrade the hub to the office's version")
    rows = {}
    for name in TABLES:
        if not isinstance(raw.get(name, []), list):
            raise Refused(400, f"{name}: rows must be a list")
    if sum(len(raw.get(name, [])) for name in TABLES) > MAX_ROWS:
        raise Refused(413, f"a batch carries at most {MAX_ROWS:,} rows")
    for name in TABLES:
        rows[name] = [decode(name, row) for row in raw.get(name, [])]
    for row in rows["evidence"]:
        if not is_sha256(row.get("blob")):
            raise Refused(400, "evidence.blob must be 64 lowercase hex digits")
    return after, upto, bool(payload.get("final")), rows


def among(field, values):
    """`field IN (values)`, bound in one node (kiosk.sync.bulk)."""
    return bulk.among(field, values, db.obj)


def held_copies(rows):
    """{table: {id: (change number, owner)}} of the hub's copies of a batch's rows, one query a table: the
    owner of a report is its office, of a child its report. Both checks below read it."""
    held = {}
    for name, model in TABLES.items():
        ids = {row["id"] for row in rows[name]}
        owner = model.office_code if model is Report else model.report
        held[name] = {key: (seq, who) for key, seq, who in model.select(model.id, model.change_seq, owner)
                      .where(among(model.id, ids)).tuples()} if ids else {}
    return held


def check_ownership(code, rows, held):
    """Refuse (403) rows that belong to another office: a report with another office's code, a report
    or child whose UUID the hub holds for another office, a child of another office's report.
    Refuse (409) a child whose report is neither in the batch nor at the hub. `held`: `held_copies(rows)`."""
    foreign = Refused(403, f"rows claim another office's code (this office is {code})")
    if any(row.get("office_code") != code for row in rows["report"]):
        raise foreign
    if any(office != code for _, office in held["report"].values()):
        raise foreign
    ids = [row["id"] for row in rows["report"]]
    parents = {row["report"] for name in CHILD_TABLES for row in rows[name]} - set(ids)
    known = dict(Report.select(Report.id, Report.office_code).where(among(Report.id, parents)).tuples()) \
        if parents else {}
    if set(parents) - set(known):
        raise Refused(409, "rows refer to a report the hub does not hold; send the report first")
    if any(owner != code for owner in known.values()):
        raise foreign
    additions = {row["id"]: row["report"] for row in rows["addition"]}
    named = {row["addition"] for row in rows["evidence"] if row.get("addition")} - set(additions)
    if named:
        additions.update(Addition.select(Addition.id, Addition.report).where(among(Addition.id, named)).tuples())
    if any(row.get("addition") and additions.get(row["addition"]) != row["report"] for row in rows["evidence"]):
        raise Refused(409, "an evidence row names an addition of another report, or one the hub does not hold")
    # The reports of the children the hub holds already, then their offices, by primary key. A join filtered
    # on the office let PostgreSQL, before its first ANALYZE, walk every other office's reports.
    owners = {report for name in CHILD_TABLES for _, report in held[name].values()}
    if owners and Report.select().where(among(Report.id, owners), Report.office_code != code).exists():
        raise foreign


def newer(rows, held):
    """The rows the hub does not hold at their change number or a higher one (the newest of each id when a
    batch carries it twice); `held`: the table's part of `held_copies`."""
    newest = {}
    for row in rows:
        if row["id"] not in newest or row["change_seq"] > newest[row["id"]]["change_seq"]:
            newest[row["id"]] = row
    return [row for key, row in newest.items() if row["change_seq"] > held.get(key, (-1,))[0]]


def accept(code, rows):
    """Check the decoded rows of a batch (or of a recovery page) from office `code` as a form is checked: who
    owns them, then every field; Refused when one fails. Returns `held_copies(rows)`, for `apply_rows`."""
    held = held_copies(rows)
    check_ownership(code, rows, held)
    for name, table in rows.items():
        for row in table:
            check_row(name, row, code)
    return held


def apply_rows(rows, held):
    """Upsert checked rows table by table (reports first: children refer to them), inside the caller's
    transaction: the one place rows from another place are applied. Returns ({table: the rows applied,
    decoded}, how many were skipped as no newer than the copy held)."""
    applied, skipped = {}, 0
    try:
        for name, model in TABLES.items():
            applied[name] = newer(rows[name], held[name])
            bulk.upsert(model, applied[name], db.obj)
            skipped += len(rows[name]) - len(applied[name])
    except pw.IntegrityError as error:
        raise Refused(409, f"a row conflicts with one the hub holds ({str(error).splitlines()[0]})")
    return applied, skipped


def missing_evidence(code, evidence):
    """Hashes of this office's evidence rows whose file the hub's store `evidence` does not have yet."""
    hashes = (Evidence.select(Evidence.blob).join(Report).where(Report.office_code == code)
              .distinct().tuples())
    return sorted(sha for (sha,) in hashes if is_sha256(sha) and not evidence.has(sha))


def mark(office, missing, final, damaged=None):
    """Record the office's sync outcome so far: complete, or what is still on its way. `damaged`: the files
    the office said it cannot send (damaged or lost there; None keeps what it said last time). A sync whose
    only missing files are those is complete: waiting for them would leave the office stale for ever."""
    office.last_sync_at = utcnow()
    known = (office.damaged_files or []) if damaged is None else damaged
    office.damaged_files = sorted(set(known) & set(missing))
    waiting = len(set(missing) - set(office.damaged_files))
    if not final:
        office.last_sync_result = "partial: receiving batches"
    elif waiting:
        office.last_sync_result = f"partial: {waiting} evidence file{'s' if waiting > 1 else ''} to come"
    else:
        office.last_sync_result = "ok"
        office.last_ok_at = office.last_sync_at
    office.save()


def apply(office, payload, evidence):
    """Apply one batch from `office` (inside the caller's write transaction). Returns the answer:
    rows applied and skipped, `ack` (the batch's `upto`: every row up to it is now held),
    `office_seq` (the highest change number the hub holds from this office), `lacking` (the files of the
    batch's evidence rows the hub does not hold) and, on the final batch, every evidence hash it still lacks."""
    after, upto, final, rows = read_payload(payload)
    ceiling = office.last_seq + MAX_SEQUENCE_JUMP
    if upto > ceiling or any(row["change_seq"] > ceiling for table in rows.values() for row in table):
        raise Refused(422, f"change numbers jump implausibly far past this office's last one ({office.last_seq})")
    if after > office.last_seq:
        raise Refused(409, f"the hub holds this office's rows only up to {office.last_seq} (was it restored?); "
                      "send again from there", office_seq=office.last_seq, gap=True)
    held = accept(office.code, rows)
    days = tallies.days_of(office.code, rows["report"])  # the hub's counters: the office-days the batch touches
    applied, skipped = apply_rows(rows, held)
    tallies.recount(office.code, days)
    transfers.hold(office.code, rows["report"])  # a transferred report waits here for its receiving office
    office.last_seq = max(office.last_seq, upto)
    missing = missing_evidence(office.code, evidence) if final else []
    mark(office, missing, final)
    answer = {"applied": sum(map(len, applied.values())), "skipped": skipped, "ack": upto, "office_seq": office.last_seq,
              # the files of this batch's rows not yet here: the office uploads them while it sends the next
              "lacking": sorted({row["blob"] for row in rows["evidence"] if not evidence.has(row["blob"])})}
    if final:
        answer["missing"] = missing
        answer["transfers"] = transfers.news_for(office.code)  # what the office fetches after (kiosk.sync.receive)
    return answer
