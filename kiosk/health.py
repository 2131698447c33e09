"""What the office knows of its own health: the outcome of the last verify, backup and sync, for
/healthz and the staff pages. One small model, written by the nightly commands."""
import datetime as dt

import peewee as pw

from .db import BaseModel, db, writing
from .models import JSONText, utcnow

KINDS = ("verify", "backup", "sync")


def iso(moment):
    """A stored (naive UTC) time as ISO 8601 with its zone, for JSON."""
    return moment.replace(tzinfo=dt.timezone.utc).isoformat(timespec="seconds") if moment else None


class Health(BaseModel):
    """The last outcome of each kind of job: {"at": ISO time, "result": "ok" | "error: …"}."""

    kind = pw.CharField(primary_key=True)
    outcome = JSONText()
    updated_at = pw.DateTimeField(default=utcnow)

    @classmethod
    def last(cls, kind):
        """{"at", "result"} of the last `kind` (one of KINDS), or None before the first."""
        row = cls.get_or_none(cls.kind == kind)
        return row.outcome if row else None


def record(kind, result, at=None):
    """Remember the outcome of the last `kind`: 'ok' or 'error: …' (opens its own connection)."""
    now = at or utcnow()
    with db.connection_context(), writing():
        Health.insert(kind=kind, outcome={"at": iso(now), "result": result}, updated_at=now).on_conflict(
            conflict_target=[Health.kind], preserve=[Health.outcome, Health.updated_at]).execute()


MODELS = [Health]
