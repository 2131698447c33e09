"""What replication remembers. At an office: the watermark the hub acknowledged (`SyncState`). At the
hub: the registered offices with their key and last sync (`HubOffice`) and the request ids already seen
(`SeenNonce`)."""
import datetime as dt

import peewee as pw

from ..db import BaseModel
from ..models import JSONText, utcnow

STALE_HOURS = 36


class SyncState(BaseModel):
    """Small named values an office keeps about replication: `watermark`, the highest change number
    the hub acknowledged."""

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


class HubOffice(BaseModel):
    """An office registered at the hub, known by the public key that verifies its signatures (see
    `kiosk.sync.signing`): the hub holds nothing that signs. `token_hash` is only for an office registered
    before public keys, until it enrols."""

    code = pw.CharField(primary_key=True)
    public_key = pw.CharField(default="")
    token_hash = pw.CharField(default="")
    created_at = pw.DateTimeField(default=utcnow)
    revoked_at = pw.DateTimeField(null=True)
    last_sync_at = pw.DateTimeField(null=True)
    last_sync_result = pw.CharField(default="")  # of the latest attempt: "ok", "partial: …", "error: …"
    last_ok_at = pw.DateTimeField(null=True)  # the latest sync that completed
    last_seq = pw.IntegerField(default=0)  # the highest change number acknowledged to the office
    refused_at = pw.DateTimeField(null=True)  # the latest request the hub refused, and why (kiosk.sync.refusals)
    refusal = JSONText(null=True)
    damaged_files = JSONText(null=True, default=list)  # evidence the office said it cannot send (damaged or lost there)

    @property
    def active(self):
        """Whether the office may still send."""
        return self.revoked_at is None

    def is_stale(self, hours=STALE_HOURS, now=None):
        """Whether the office has not completed a sync for more than `hours` (or never has)."""
        return self.last_ok_at is None or (now or utcnow()) - self.last_ok_at > dt.timedelta(hours=hours)


class SeenNonce(BaseModel):
    """A request id (batch id) the hub has accepted, kept past the signature's time window so that
    the same signed request can never be applied twice."""

    nonce = pw.CharField(primary_key=True)
    office_code = pw.CharField()
    seen_at = pw.DateTimeField(default=utcnow, index=True)


MODELS = [SyncState, HubOffice, SeenNonce]
