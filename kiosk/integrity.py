"""What is known of damaged evidence: each file whose bytes no longer match their SHA-256 (or that is lost),
in the evidence folder or the backup store, from the moment it is found (by a download, `kiosk verify`, a
backup or a sync) until it is repaired from a good copy. Finding and repairing are written to the audit
log; what is still damaged is listed on /healthz and the staff pages."""
import peewee as pw

from .db import BaseModel, writing
from .models import Evidence, Report, utcnow
from .auditlog import AuditLog

STORES = ("evidence", "backup")  # the office's (or hub's) evidence folder; the backup store's copies
SYSTEM = "kiosk"  # the audit log's actor when no person did it (verify, backup, sync)
LISTED = 50  # damaged files named on /healthz and the staff pages; the count is always whole


class DamagedFile(BaseModel):
    """A stored file found damaged or lost and not repaired yet. `found_by`: download, verify, backup, sync,
    hub (the hub answered that it holds no good copy)."""

    blob = pw.CharField()
    store = pw.CharField()
    found_at = pw.DateTimeField(default=utcnow)
    found_by = pw.CharField()
    missing = pw.BooleanField(default=False)  # lost altogether rather than damaged

    class Meta:
        primary_key = pw.CompositeKey("blob", "store")


def found(office_code, blob, store="evidence", by="verify", actor=SYSTEM, missing=False):
    """Record that `blob` is damaged (or `missing`) in `store`; the first finding is audited. Returns
    whether it was new."""
    with writing():
        if DamagedFile.select().where(DamagedFile.blob == blob, DamagedFile.store == store).exists():
            return False
        DamagedFile.insert(blob=blob, store=store, found_by=by, missing=missing).execute()
        AuditLog.record(office_code, actor, "evidence_damaged", _target(blob), store=store, sha256=blob[:16],
                        found_by=by, missing=missing)
    return True


def repaired(office_code, blob, store, source):
    """Record that `blob` in `store` is whole again, copied from `source` (backup, hub, evidence, office);
    audited whether or not it had been recorded as damaged."""
    with writing():
        DamagedFile.delete().where(DamagedFile.blob == blob, DamagedFile.store == store).execute()
        AuditLog.record(office_code, SYSTEM, "evidence_repaired", _target(blob), store=store, sha256=blob[:16],
                        source=source)


def cleared(blob, store="evidence"):
    """Forget `blob` in `store` without an audit entry (a file that turned out whole); inside a write."""
    DamagedFile.delete().where(DamagedFile.blob == blob, DamagedFile.store == store).execute()


def _target(blob):
    """The audit target of a file: its report's receipt number and its place in the report, when known."""
    named = where_from([blob]).get(blob)
    return f"{named[0]} #{named[1]}" if named else ""


def where_from(blobs):
    """{blob: (receipt number, file number from 1)} of the evidence rows naming `blobs`."""
    query = (Evidence.select(Evidence.blob, Report.receipt_no, Evidence.position).join(Report)
             .where(Evidence.blob.in_(list(blobs))).tuples())
    return {blob: (receipt, position + 1) for blob, receipt, position in query}


def damaged():
    """(count, the first LISTED as dicts: sha256, store, since, missing, receipt_no, file) of what is still
    damaged, oldest first."""
    query = DamagedFile.select().order_by(DamagedFile.found_at, DamagedFile.blob)
    rows = list(query.limit(LISTED))
    named = where_from({row.blob for row in rows})
    listed = [{"sha256": row.blob, "store": row.store, "since": row.found_at, "missing": row.missing,
               "receipt_no": named.get(row.blob, ("", 0))[0], "file": named.get(row.blob, ("", 0))[1]}
              for row in rows]
    return query.count(), listed


def is_damaged(blob):
    """Whether `blob` in the evidence folder is known to be damaged or lost."""
    return bool(damaged_among([blob]))


def damaged_among(blobs):
    """Those of `blobs` in the evidence folder known to be damaged or lost (one query)."""
    return {blob for (blob,) in DamagedFile.select(DamagedFile.blob).where(
        DamagedFile.blob.in_(list(blobs)), DamagedFile.store == "evidence").tuples()}


MODELS = [DamagedFile]
