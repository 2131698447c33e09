"""Disaster recovery: an office restored from its backup (`kiosk restore`), or starting again from nothing
(`kiosk recover-from-hub`), gets back from the hub every row it had sent after that backup, then the evidence
files they name (kiosk.disaster runs the evidence check after this), and raises every counter above what the
hub holds, so that no number is handed out twice.

The hub answers `GET /api/sync/rows/<after>` with the office's own rows above a change number, a page at a
time in change order. Each page is checked as the hub checks a batch (kiosk.sync.checks: nothing from the
network is trusted), upserted by UUID only where it is newer (kiosk.sync.ingest), and the point reached is
stored with it in one transaction (SyncState `recovering`), so a recovery cut short resumes where it
stopped, and one run twice changes nothing."""
import re

from peewee import fn

from ..db import db, writing
from ..models import Counter, Report
from .client import SyncError, Tally, acknowledge, connect
from .ingest import accept, apply_rows
from .models import SyncState
from .rows import TABLES, decode
from .signing import Refused

RECEIPT = re.compile(r"(\d+)/PL/(?P<office>[\d.]+)/[IVX]+/(\d{4})")
REGISTRATION = re.compile(r"(\d+)/Reg/.*/(?P<office>[\d.]+)/[IVX]+/(\d{4})")


def held_upto():
    """The highest change number of any row this office holds."""
    return max((model.select(model.change_seq).order_by(model.change_seq.desc()).limit(1).scalar() or 0)
               for model in TABLES.values())


def state():
    """{"after": n} while a recovery is under way (or was cut short), else None."""
    return SyncState.read("recovering")


def apply_page(code, page):
    """Check and upsert one page of rows from the hub (inside the caller's write transaction); how many rows
    were new or newer here."""
    raw = page.get("rows", {})
    if not isinstance(raw, dict) or set(raw) - set(TABLES):
        raise SyncError("the hub's page names tables this office does not know: upgrade the office")
    rows = {name: [decode(name, row) for row in raw.get(name, [])] for name in TABLES}
    applied, _ = apply_rows(rows, accept(code, rows))
    return sum(map(len, applied.values()))


def raise_counters(code, office_seq):
    """Every sequence above the highest number held: change numbers above the hub's, receipt and
    registration numbers above the office's highest of each year (inside a write transaction)."""
    wanted = {"change": max(office_seq, held_upto())}
    numbers = Report.select(Report.receipt_no, Report.registration_no).where(Report.office_code == code).tuples()
    for receipt, registration in numbers:
        for pattern, kind, value in ((RECEIPT, "receipt", receipt), (REGISTRATION, "registration", registration)):
            found = pattern.fullmatch(value or "")
            if found and found.group("office") == code:
                name = f"{kind}:{code}:{found.group(3)}"
                wanted[name] = max(wanted.get(name, 0), int(found.group(1)))
    for name, value in wanted.items():
        Counter.insert(name=name, value=value).on_conflict(
            conflict_target=[Counter.name], update={Counter.value: fn.max(Counter.value, value)}).execute()


def run(config):
    """Pull back from the hub the rows this office lacks (everything, on a new install) and raise its
    counters; returns (rows new here, pages). The evidence files come next (kiosk.disaster). SyncError when the hub cannot be reached or its rows
    do not pass the checks (nothing of that page is applied; the next run resumes there)."""
    code, tally = config["OFFICE_CODE"], Tally()
    hub = connect(config, tally)
    with db.connection_context():
        with writing():
            if state() is None:
                SyncState.write("recovering", {"after": held_upto()})
        applied = pages = 0
        try:
            while True:
                after = int(state()["after"])
                page = hub.get_rows(after)
                upto, office_seq = page.get("upto"), page.get("office_seq")
                if not all(isinstance(n, int) and not isinstance(n, bool) for n in (upto, office_seq)) or upto < after:
                    raise SyncError("the hub's page of rows has no sane `upto`")
                try:
                    with writing():
                        applied += apply_page(code, page)
                        SyncState.write("recovering", {"after": upto})
                except Refused as error:
                    raise SyncError(f"the hub's rows were refused here: {error.message}")
                pages += 1
                if not page.get("more"):
                    break
        finally:
            hub.close()
        with writing():
            raise_counters(code, office_seq)
        if office_seq >= SyncState.watermark():
            acknowledge(office_seq, office_seq)  # the hub holds all of it: nothing to send back
    return applied, pages


def finish():
    """Mark the recovery done (once the evidence the rows name is back too: kiosk.disaster)."""
    with writing():
        SyncState.delete().where(SyncState.key == "recovering").execute()
