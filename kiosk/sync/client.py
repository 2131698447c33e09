"""The office pushing its changes to the hub: batches of rows changed since the watermark the hub
last acknowledged, each signed; the watermark moves only after the hub's answer, so a run cut short
anywhere continues where the last acknowledged batch ended. Then the evidence files the hub lacks."""
import concurrent.futures
import fcntl
import gzip
import http.client
import json
import time
import urllib.parse
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..db import db, writing
from ..models import Counter
from .. import integrity
from ..store import evidence_store, is_sha256
from . import rows
from .models import SyncState
from .signing import canonical_json, public_key, sign, sign_legacy
from .connections import Connection, Timeouts, TLSConnection
from .uploads import Uploader

GZIP_FROM = 1024  # bytes; smaller bodies gain nothing from compression
MAX_PAGE = 64 * 1024 * 1024  # a page of rows from the hub, unpacked (SYNC_BATCH rows are far less)
RETRIED = {429, 500, 502, 503, 504}  # the hub (or a proxy before it) overloaded or failing: worth another try
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class SyncError(Exception):
    """A sync that did not finish; the message is one line for the operator."""


class HubConflict(SyncError):
    """The hub holds fewer of this office's rows than the office's watermark says (a restored hub)."""

    def __init__(self, message, office_seq):
        super().__init__(message)
        self.office_seq = office_seq


def plural(count, noun):
    """'1 batch', '3 batches', '1,050 requests'."""
    if count == 1:
        return f"1 {noun}"
    return f"{count:,} {noun}{'es' if noun.endswith('ch') else 's'}"


@dataclass
class Tally:
    """What a run did and cost: requests, body bytes each way, rows, batches and files."""

    requests: int = 0
    sent: int = 0
    received: int = 0
    batches: int = 0
    rows: int = 0
    applied: int = 0
    files: int = 0
    file_bytes: int = 0
    watermark: int = 0
    retries: int = 0
    unsendable: list = field(default_factory=list)
    resent_from: int | None = None
    rows_seconds: float = 0.0
    started: float = field(default_factory=time.monotonic)

    def add(self, other):
        """Count in what another tally (an upload worker's) did."""
        for name in ("requests", "sent", "received", "files", "file_bytes", "retries"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def seconds(self):
        """Time since the run started."""
        return time.monotonic() - self.started

    def summary(self):
        """One line: what was sent and what it cost."""
        if self.rows or self.files:
            what = (f"{plural(self.rows, 'row')} in {plural(self.batches, 'batch')} ({self.applied:,} new to the "
                    f"hub), {plural(self.files, 'evidence file')} ({self.file_bytes:,} bytes)")
        else:
            what = "nothing new"
        if self.resent_from is not None:
            what += f" (the hub had lost rows: sent again from {self.resent_from:,})"
        if self.unsendable:
            what += (f"; {plural(len(self.unsendable), 'evidence file')} damaged or lost at this office, not sent "
                     f"(the hub is told; `kiosk verify` repairs from a good copy): {', '.join(self.unsendable)}")
        if self.retries:
            what += f"; {plural(self.retries, 'retried request')}"
        return (f"{what}; watermark {self.watermark:,}; {plural(self.requests, 'request')}, {self.sent:,} bytes sent, "
                f"{self.received:,} received, {self.seconds:.2f} s (rows {self.rows_seconds:.2f} s)")


class HubClient:
    """Signed requests to the hub's /api/sync/ over one kept-alive connection (http.client, standard
    library). One connection matters on an office's 3G link: a TLS handshake per evidence file would
    cost more than the file."""

    def __init__(self, url, office, token, timeouts, tally):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SyncError(f"KIOSK_HUB_URL is not an http(s) address: {url!r}")
        if parts.scheme == "http" and parts.hostname not in LOOPBACK:
            # The signature proves who sent a batch, but does not hide it: reports carry NIKs and phones.
            raise SyncError(f"KIOSK_HUB_URL must use https (plain http only to this machine): {url!r}")
        self.https, self.netloc = parts.scheme == "https", parts.netloc
        self.prefix = parts.path.rstrip("/") + "/api/sync/"
        self.base = f"{parts.scheme}://{parts.netloc}{self.prefix}"
        self.url, self.office, self.token, self.timeouts, self.tally = url, office, token, timeouts, tally
        self.connection = None

    def twin(self):
        """Another client for the same hub and office, with a connection and a tally of its own (an upload
        worker's)."""
        return HubClient(self.url, self.office, self.token, self.timeouts, Tally())

    def close(self):
        """Drop the connection (the next request opens a new one)."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def _once(self, method, endpoint, body, headers, signer):
        """(status, reason, body) of one signed request; a kept-alive connection the hub has since closed is
        retried at once on a new one, signed afresh (a new request id), which the hub's upserts make safe."""
        for attempt in (1, 2):
            reused = self.connection is not None
            if not reused:
                kind = TLSConnection if self.https else Connection
                self.connection = kind(self.netloc, self.timeouts.connect, self.timeouts.read)
            signed = dict(headers, **signer(self.token, method, endpoint, self.office, body))
            try:
                self.connection.request(method, self.prefix + endpoint, body=body, headers=signed)
                response = self.connection.getresponse()
                answer = response.read()
            except (http.client.HTTPException, OSError):
                self.close()
                if reused and attempt == 1:
                    continue
                raise
            if response.will_close:
                self.close()
            return response.status, response.reason, answer, response.getheader("Content-Type", "")

    def _exchange(self, method, endpoint, body, headers, signer=sign):
        """`_once`, tried again after a pause (doubling each time) when the hub cannot be reached, does not
        answer in time, or answers that it is overloaded or failed (5xx, 429)."""
        attempt = 1
        while True:
            try:
                status, reason, answer, kind = self._once(method, endpoint, body, headers, signer)
                if status not in RETRIED or attempt > self.timeouts.retries:
                    return status, reason, answer, kind
            except TimeoutError:
                if attempt > self.timeouts.retries:
                    raise SyncError(f"the hub at {self.base} did not answer in time ({self.timeouts.connect:g} s "
                                    f"to connect, {self.timeouts.read:g} s to answer; {plural(attempt, 'attempt')})")
            except (http.client.HTTPException, OSError) as error:
                if attempt > self.timeouts.retries:
                    raise SyncError(f"hub unreachable at {self.base}: {str(error) or error.__class__.__name__} "
                                    f"({plural(attempt, 'attempt')})")
            time.sleep(self.timeouts.pause(attempt))
            attempt += 1
            self.tally.retries += 1

    def call(self, method, endpoint, body, headers=None, signer=sign):
        """Send `body` (bytes) to `endpoint`; the hub's JSON answer, or SyncError in one line. An office
        registered before public keys enrols its key the first time the hub asks, then asks again."""
        self.tally.requests += 1
        self.tally.sent += len(body)
        status, reason, answer, _kind = self._exchange(method, endpoint, body, headers or {}, signer)
        self.tally.received += len(answer)
        try:
            detail = json.loads(answer)
        except ValueError:
            detail = None
        if status == 401 and isinstance(detail, dict) and detail.get("enrol") and endpoint != "enrol":
            self.post("enrol", {"public_key": public_key(self.token)}, signer=sign_legacy)
            return self.call(method, endpoint, body, headers)
        if status >= 300 or not isinstance(detail, dict):
            error = detail.get("error") if isinstance(detail, dict) else reason
            message = f"hub refused {endpoint.split('/')[0]} ({status}): {error}"
            if status == 409 and isinstance(detail, dict) and isinstance(detail.get("office_seq"), int):
                raise HubConflict(message, detail["office_seq"])
            raise SyncError(message)
        return detail

    def fetch_file(self, sha256):
        """The hub's copy of this office's evidence file `sha256` (bytes, not yet checked), or None when the
        hub holds no good copy."""
        self.tally.requests += 1
        status, reason, answer, kind = self._exchange("GET", f"evidence/{sha256}", b"", {})
        self.tally.received += len(answer)
        if status == 200 and kind == "application/octet-stream":
            return answer
        if status == 404:
            return None
        raise SyncError(f"hub refused evidence ({status}): {reason}")

    def get_rows(self, after):
        """A page of this office's own rows the hub holds above the change number `after` (see
        kiosk.sync.recovery); SyncError when the hub refuses or answers something else."""
        self.tally.requests += 1
        status, reason, answer, kind = self._exchange("GET", f"rows/{after}", b"", {})
        self.tally.received += len(answer)
        if status != 200 or kind != "application/json":
            raise SyncError(f"hub refused rows ({status}): {reason}")
        unpack = zlib.decompressobj(wbits=31)
        try:
            page = json.loads(unpack.decompress(answer, MAX_PAGE))
        except (zlib.error, ValueError):
            raise SyncError("the hub's page of rows is not gzipped JSON")
        if unpack.unconsumed_tail or not isinstance(page, dict):
            raise SyncError("the hub's page of rows is too large or not an object")
        return page

    def post(self, endpoint, payload, signer=sign):
        """POST `payload` (`packed`)."""
        return self.call("POST", endpoint, *packed(payload), signer)


def packed(payload):
    """(body, headers) of a JSON request: canonical JSON, gzipped when that is worth it."""
    body, headers = canonical_json(payload), {"Content-Type": "application/json"}
    if len(body) >= GZIP_FROM:
        body, headers["Content-Encoding"] = gzip.compress(body, 6), "gzip"
    return body, headers


def acknowledge(watermark, office_seq):
    """Move the watermark to what the hub acknowledged, and keep the change counter at or above every
    number the hub holds from this office, so that after a restore new changes still win there."""
    with writing():
        SyncState.write("watermark", watermark)
        Counter.insert(name="change", value=0).on_conflict_ignore().execute()
        Counter.update(value=office_seq).where(Counter.name == "change", Counter.value < office_seq).execute()


def read_batch(after, batch_size, batch_bytes):
    """(the batch of rows after the change number `after`, its request's body and headers): read in one
    transaction (the tables seen at the same moment) on a connection of the calling thread's own, and packed
    there too (JSON and gzip: 0.13 s of a season's 15,000-row batch, bench/sync.py)."""
    with db.connection_context(), db.atomic():
        batch = rows.pending(after, batch_size, max_bytes=batch_bytes)
    return batch, packed(batch.payload(final=not batch.more))


def push_rows(hub, batch_size, tally, batch_bytes=None, lacking=None):
    """Send every pending row in batches (of at most `batch_size` rows and `batch_bytes` of JSON), handing
    `lacking` the files each batch's answer says the hub lacks (and whether the hub takes bundles of them);
    returns the final batch's answer. The next batch is read and packed while the hub applies the one sent: the
    office's reading and the hub's writing go side by side, and the watermark still moves only on the hub's
    answer (a batch read ahead and never sent is read again)."""
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="read-ahead") as reader:
        def read(after):
            return reader.submit(read_batch, after, batch_size, batch_bytes)
        return _send_all(hub, tally, lacking, read)


def _send_all(hub, tally, lacking, read):
    """The batches `read(after)` (a future) gives, sent one after the other, the next read while one is sent."""
    rewound = False
    coming = read(SyncState.watermark())
    while True:
        batch, (body, headers) = coming.result()
        coming = read(batch.upto) if batch.more else None
        try:
            answer = hub.call("POST", "batch", body, headers)
        except HubConflict as conflict:
            if rewound or conflict.office_seq >= batch.after:
                raise
            rewound = True  # the hub lost rows (restored from a backup): send again from its mark
            acknowledge(conflict.office_seq, conflict.office_seq)
            tally.resent_from = conflict.office_seq
            if coming is not None:
                coming.result()  # read ahead from a mark the hub does not hold: dropped
            coming = read(conflict.office_seq)
            continue
        if answer.get("ack") != batch.upto or not isinstance(answer.get("office_seq"), int):
            raise SyncError(f"hub acknowledged {answer.get('ack')!r}, expected {batch.upto}")
        acknowledge(batch.upto, answer["office_seq"])
        if lacking is not None and isinstance(answer.get("lacking"), list):
            lacking(answer["lacking"], bundled=answer.get("bundles") is True)
        tally.watermark = batch.upto
        if batch.count:
            tally.batches += 1
            tally.rows += batch.count
            tally.applied += answer.get("applied", 0)
        if not batch.more:
            return answer


def connect(config, tally):
    """A client for the hub in `config`, or SyncError when none is set (or this is the hub)."""
    if config["ROLE"] == "hub":
        raise SyncError("this is the hub (KIOSK_ROLE=hub): offices sync to it")
    if not config["HUB_URL"] or not config["HUB_TOKEN"]:
        raise SyncError("KIOSK_HUB_URL and KIOSK_HUB_TOKEN must be set to sync")
    return HubClient(config["HUB_URL"], config["OFFICE_CODE"], config["HUB_TOKEN"], Timeouts(config), tally)


def run(config, batch_size=None, after=None):
    """One sync of this office to the hub in `config` (HUB_URL, HUB_TOKEN, OFFICE_CODE, ...).
    Returns the Tally; raises SyncError with a one-line reason when anything is left unsent that this
    office could send (a file damaged or lost here is reported to the hub instead, and named in the tally).
    `after(hub, config, answer)`, when given, runs once the rows and files are sent, on the same connection, with
    the hub's answer to the last batch."""
    connect(config, Tally())  # the settings, checked before the lock is taken
    lock = open(Path(config["DATA_DIR"]) / "sync.lock", "a")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # one sync at a time (the timer and a person)
    except BlockingIOError:
        lock.close()
        raise SyncError("another sync of this office is running")
    with lock:
        return _run(config, batch_size, after)


def _run(config, batch_size, after=None):
    """The sync itself (the office's sync lock held)."""
    tally = Tally()
    hub = connect(config, tally)
    evidence = evidence_store(config)
    uploader = Uploader(hub, evidence, config["SYNC_UPLOADS"], tally)
    try:
        answer = push_rows(hub, batch_size or config["SYNC_BATCH"], tally, config["SYNC_BATCH_BYTES"], uploader.send)
        tally.rows_seconds = tally.seconds
        missing = answer.get("missing", [])
        uploader.send(missing, bundled=answer.get("bundles") is True)
        if uploader.queued:
            unsendable = uploader.finish()
            for sha256 in filter(is_sha256, unsendable):  # damaged or lost here: staff are told
                integrity.found(config["OFFICE_CODE"], sha256, by="sync", missing=not evidence.has(sha256))
            still = hub.post("done", {"sent": tally.files, "unsendable": unsendable}).get("missing", [])
            tally.unsendable = sorted(set(still) & set(unsendable))
            lost = sorted(set(still) - set(unsendable))
            if lost:
                raise SyncError(f"rows sent, but {plural(len(lost), 'evidence file')} did not reach the hub "
                                f"(e.g. {lost[0]})")
        if after is not None:  # more on the same connection: the transfers between offices (kiosk.sync.receive)
            tally.transfers = after(hub, config, answer)
    finally:
        uploader.close()
        hub.close()
    return tally
