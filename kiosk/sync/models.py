"""What replication remembers. At an office: the watermark the hub acknowledged and the outcome of
the last backup and sync (`SyncState`). At the hub: the registered offices with their token hash and
last sync (`HubOffice`), the request ids already seen (`SeenNonce`), and the per-office counts the
provincial staff pages show."""
import datetime as dt

import peewee as pw

from ..db import BaseModel
from ..deadlines import JAKARTA, today
from ..models import JSONText, Report, utcnow

STALE_HOURS = 36


def iso(moment):
    """A stored (naive UTC) time as ISO 8601 with its zone, for JSON."""
    return moment.replace(tzinfo=dt.timezone.utc).isoformat(timespec="seconds") if moment else None


class SyncState(BaseModel):
    """Small named values an office keeps about replication: `watermark` (the highest change number
    the hub acknowledged), `last_backup` and `last_sync` ({"at", "result"})."""

    key = pw.CharField(primary_key=True)
    value = JSONText(null=True)
    updated_at = pw.DateTimeField(default=utcnow)

    @classmethod
    def read(cls, key, default=None):
        """The value stored under `key`, or `default`."""
        row = cls.get_or_none(cls.key == key)
        return default if row is None else row.value

    @classmethod
    def write(cls, key, value):
        """Store `value` under `key`; call inside a write transaction."""
        cls.insert(key=key, value=value, updated_at=utcnow()).on_conflict(
            conflict_target=[cls.key], preserve=[cls.value, cls.updated_at]).execute()

    @classmethod
    def watermark(cls):
        """The highest change number the hub has acknowledged (0 before the first sync)."""
        return int(cls.read("watermark", 0))

    @classmethod
    def record(cls, kind, result, at=None):
        """Remember the outcome of the last `kind` ('backup' or 'sync'): 'ok' or 'error: …'."""
        cls.write(f"last_{kind}", {"at": iso(at or utcnow()), "result": result})

    @classmethod
    def last(cls, kind):
        """{"at": ISO time, "result": "ok" | "error: …"} of the last `kind`, or None."""
        return cls.read(f"last_{kind}")


class HubOffice(BaseModel):
    """An office registered at the hub. Its token is stored only as a SHA-256 hash, which is also the
    HMAC key its batches are signed with (see `kiosk.sync.signing`)."""

    code = pw.CharField(primary_key=True)
    token_hash = pw.CharField()
    created_at = pw.DateTimeField(default=utcnow)
    revoked_at = pw.DateTimeField(null=True)
    last_sync_at = pw.DateTimeField(null=True)
    last_sync_result = pw.CharField(default="")  # of the latest attempt: "ok", "partial: …", "error: …"
    last_ok_at = pw.DateTimeField(null=True)  # the latest sync that completed
    last_seq = pw.IntegerField(default=0)  # the highest change number acknowledged to the office

    @property
    def active(self):
        """Whether the office may still send."""
        return self.revoked_at is None

    def is_stale(self, hours=STALE_HOURS, now=None):
        """Whether the office has not completed a sync for more than `hours` (or never has)."""
        return self.last_ok_at is None or (now or utcnow()) - self.last_ok_at > dt.timedelta(hours=hours)

    @classmethod
    def active_offices(cls):
        """Offices not revoked, by code."""
        return cls.select().where(cls.revoked_at.is_null()).order_by(cls.code)

    @classmethod
    def stale(cls, hours=STALE_HOURS, now=None):
        """Active offices whose last completed sync is older than `hours`, or that never completed one."""
        limit = (now or utcnow()) - dt.timedelta(hours=hours)
        return cls.active_offices().where(cls.last_ok_at.is_null() | (cls.last_ok_at < limit))

    @staticmethod
    def local_midnight(days_back=0):
        """The (naive UTC) start of the Asia/Jakarta day `days_back` days before today."""
        day = today() - dt.timedelta(days=days_back)
        start = dt.datetime.combine(day, dt.time(0), JAKARTA)
        return start.astimezone(dt.timezone.utc).replace(tzinfo=None)

    @classmethod
    def report_counts(cls, since=None, by=None):
        """Reports per office: {code: n}, or {code: {value: n}} when `by` is a Report column name
        ('status', 'category', ...); only those submitted at or after `since` (naive UTC) if given."""
        column = getattr(Report, by) if by else None
        fields = [Report.office_code] + ([column] if by else [])
        query = Report.select(*fields, pw.fn.COUNT(Report.id).alias("n")).group_by(*fields)
        if since is not None:
            query = query.where(Report.submitted_at >= since)
        counts = {}
        for row in query.dicts():
            if by:
                counts.setdefault(row["office_code"], {})[row[by]] = row["n"]
            else:
                counts[row["office_code"]] = row["n"]
        return counts

    @classmethod
    def counts_today(cls):
        """{office code: reports submitted today (Asia/Jakarta)}."""
        return cls.report_counts(since=cls.local_midnight())

    @classmethod
    def counts_last_days(cls, days=7):
        """{office code: reports submitted in the last `days` days, today included (Asia/Jakarta)}."""
        return cls.report_counts(since=cls.local_midnight(days - 1))

    @classmethod
    def overview(cls, hours=STALE_HOURS, now=None):
        """One dict per registered office for the provincial staff: code, last sync (time, result,
        stale), revoked, and report counts (total, today, last 7 days, by status, by category)."""
        total, day, week = cls.report_counts(), cls.counts_today(), cls.counts_last_days(7)
        status, category = cls.report_counts(by="status"), cls.report_counts(by="category")
        return [{
            "code": office.code, "revoked": not office.active,
            "last_sync_at": office.last_sync_at, "last_sync_result": office.last_sync_result,
            "last_ok_at": office.last_ok_at,
            "stale": office.active and office.is_stale(hours, now),
            "reports": total.get(office.code, 0), "today": day.get(office.code, 0),
            "last_7_days": week.get(office.code, 0),
            "by_status": status.get(office.code, {}), "by_category": category.get(office.code, {}),
        } for office in cls.select().order_by(cls.code)]


class SeenNonce(BaseModel):
    """A request id (batch id) the hub has accepted, kept past the signature's time window so that
    the same signed request can never be applied twice."""

    nonce = pw.CharField(primary_key=True)
    office_code = pw.CharField()
    seen_at = pw.DateTimeField(default=utcnow, index=True)


MODELS = [SyncState, HubOffice, SeenNonce]
