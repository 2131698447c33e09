"""The sync at the size of a season (issue 16, part 2): compressed batches whose unpacking the hub bounds,
signatures over the bytes actually sent, batches bounded by bytes, a hub whose queries per batch do not grow
with its rows, and evidence uploads that resume where a killed sync left them."""
import hashlib
import json
import logging
import re
import tracemalloc
import urllib.error
import urllib.request
import uuid
import zlib

import pytest

from kiosk.db import bulk_writing, db, writing
from kiosk.sync.api import BATCH_BODY, MAX_JSON
from kiosk.sync.bundles import BUNDLE_FILES, pack
from kiosk.sync.models import HubOffice
from kiosk.sync.signing import canonical_json, public_key, sign
from tests.support.servers import (
    DyingHub,
    Server,
    environment,
    kiosk,
    office_script,
    query,
    register,
    replicated,
    serving,
    stored_files,
)
from tests.test_sync_api import SEALED, child_row, report_row

TOKEN = "speed-test-token-" + "x" * 26


@pytest.fixture
def hub(hub_app):
    """The hub app served by waitress in this process (its queries can be counted), office 36.73 enrolled."""
    with db.connection_context(), writing():
        HubOffice.create(code="36.73", public_key=public_key(TOKEN))
    with serving(hub_app) as url:
        yield url


def post(url, body, endpoint="batch", headers=None, signature=None):
    """(status, JSON answer) of a POST signed over `body` (or carrying the `signature` headers given)."""
    signed = signature or sign(TOKEN, "POST", endpoint, "36.73", body)
    request = urllib.request.Request(f"{url}/api/sync/{endpoint}", data=body, method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {}), **signed})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def packed(data, encoding, level=6):
    """`data` compressed as Content-Encoding `encoding` says."""
    pack = zlib.compressobj(level, wbits={"gzip": 31, "deflate": 15}[encoding])
    return pack.compress(data) + pack.flush()


def reports_batch(count, after=0):
    """A batch of `count` reports, each with a witness and a status event, change numbers after `after`."""
    rows = {"report": [], "witness": [], "status_event": []}
    seq = after
    for _ in range(count):
        report = report_row(seq=seq + 1)
        rows["report"].append(report)
        rows["witness"].append(child_row(report["id"], seq + 2))
        rows["status_event"].append({"id": uuid.uuid4().hex, "change_seq": seq + 3, "report": report["id"],
                                     "status": "diterima", "at": "2026-11-20T03:00:00", "actor": "system"})
        seq += 3
    return {"after": after, "upto": seq, "final": False, "rows": rows}


def held_reports():
    with db.connection_context():
        return db.execute_sql("SELECT count(*) FROM report").fetchone()[0]


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compression_bomb_is_refused_before_it_is_unpacked_past_the_limit(hub, encoding):
    pack = zlib.compressobj(9, wbits={"gzip": 31, "deflate": 15}[encoding])
    zeros = b" " * (1 << 20)
    bomb = b"".join(pack.compress(zeros) for _ in range(4 * MAX_JSON // len(zeros))) + pack.flush()  # 256 MB
    assert len(bomb) < BATCH_BODY / 10  # small enough on the wire: only unpacking shows what it is
    tracemalloc.start()
    try:
        status, answer = post(hub, bomb, headers={"Content-Encoding": encoding})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (status, answer["error"]) == (413, "the unpacked batch is too large")
    # Unpacked up to the limit and no further (zlib's growing buffer may briefly hold it twice): the bomb
    # holds 4x the limit, and the hub never held it.
    assert peak < 2 * MAX_JSON + 16 * 1024 * 1024 < 4 * MAX_JSON
    assert held_reports() == 0


def test_compressed_batches_apply_and_the_signature_covers_the_bytes_sent(hub):
    for encoding in ("gzip", "deflate"):
        other = reports_batch(3, after=0 if encoding == "gzip" else 9)
        body = packed(canonical_json(other), encoding)
        signature = sign(TOKEN, "POST", "batch", "36.73", body)
        # The same JSON packed another way is other bytes: the signature over what was sent does not fit them.
        repacked = packed(canonical_json(other), encoding, level=1)
        assert repacked != body
        status, answer = post(hub, repacked, headers={"Content-Encoding": encoding}, signature=signature)
        assert (status, answer["error"]) == (401, "bad signature")
        status, answer = post(hub, body, headers={"Content-Encoding": encoding}, signature=signature)
        assert status == 200 and answer["applied"] == 9, answer
    assert held_reports() == 6
    status, answer = post(hub, b"\x28\xb5\x2f\xfd", headers={"Content-Encoding": "zstd"})
    assert (status, answer["error"]) == (415, "unknown Content-Encoding 'zstd' (gzip or deflate)")


class Queries(logging.Handler):
    """The SQL statements peewee runs for a request, with their parameters in `run` (each executemany counts
    once, as it is one call to the driver); not the checkpoint the hub runs once it has answered, which may
    come before or after the next."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.run = []

    def emit(self, record):
        if isinstance(record.msg, tuple) and not record.msg[0].startswith("PRAGMA wal_checkpoint"):
            self.run.append(record.msg)

    @property
    def statements(self):
        return [sql for sql, _params in self.run]


def counted(url, payload, endpoint="batch", body=None):
    """(status, answer, the Queries the hub ran) of one request: a gzipped batch, or `body` as it is."""
    headers = {} if body else {"Content-Encoding": "gzip"}
    body = body or packed(canonical_json(payload), "gzip")
    queries, logger = Queries(), logging.getLogger("peewee")
    level = logger.level
    logger.addHandler(queries)
    logger.setLevel(logging.DEBUG)
    try:
        status, answer = post(url, body, endpoint, headers=headers)
    finally:
        logger.removeHandler(queries)
        logger.setLevel(level)
    return status, answer, queries


def test_the_hubs_queries_per_batch_do_not_grow_with_its_rows(hub):
    status, answer, small = counted(hub, reports_batch(5))
    small = small.statements
    assert status == 200 and answer["applied"] == 15
    payload = reports_batch(400, after=15)
    status, answer, large = counted(hub, payload)
    large = large.statements
    assert status == 200 and answer["applied"] == 1200
    assert len(large) == len(small), "\n".join(large)
    inserts = [sql for sql in large if sql.startswith('INSERT INTO "report"')]
    assert len(inserts) == 1  # 400 reports in one statement
    # The same batch again (a retry, or late): every row's change number checked, still per batch.
    status, answer, again = counted(hub, payload)
    assert status == 200 and (answer["applied"], answer["skipped"]) == (0, 1200)
    assert len(again.statements) <= len(small)
    assert held_reports() == 405


@pytest.mark.sqlite_hub  # the plans are SQLite's; PostgreSQL plans its own way, with statistics autovacuum keeps
def test_the_hubs_check_of_a_bundle_goes_by_hash_and_key_whatever_the_planner_knows(hub):
    """A new hub has no planner statistics until it next starts (kiosk.planner): the check of each bundle of
    files must not leave SQLite the choice of walking the office's reports (it chose to, and a season's last
    bundles took 90 ms each to check)."""
    payload = reports_batch(40)
    files = [f"photo {n}".encode() for n in range(40)]
    payload["rows"]["evidence"] = [
        {"id": uuid.uuid4().hex, "change_seq": 200 + n, "report": report["id"], "position": 0, "mime": "image/jpeg",
         "blob": hashlib.sha256(data).hexdigest(), "size": len(data), "personal": SEALED}
        for n, (report, data) in enumerate(zip(payload["rows"]["report"], files))]
    payload["upto"] = 240
    status, answer, _ = counted(hub, payload)
    assert status == 200 and answer["lacking"] == sorted(row["blob"] for row in payload["rows"]["evidence"])
    bundle = pack([(hashlib.sha256(data).hexdigest(), data) for data in files[:BUNDLE_FILES]])
    status, answer, queries = counted(hub, None, "evidence", bundle)
    assert status == 200 and len(answer["stored"]) == BUNDLE_FILES
    with db.connection_context():
        assert not db.execute_sql("SELECT count(*) FROM sqlite_stat1 WHERE tbl IN ('report', 'evidence')").fetchone()[0]
        plans = [step[3] for sql, params in queries.run if sql.startswith("SELECT")
                 for step in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()]
    assert any("evidence_blob" in step for step in plans), plans
    assert not [step for step in plans if "office_code" in step or step.startswith("SCAN")], plans


def data(server):
    return server.env["KIOSK_DATA_DIR"]


def sync_summary(env, *args):
    result = kiosk(env, "sync", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.process
def test_batches_are_bounded_by_bytes_as_well_as_rows(tmp_path):
    hub = Server(tmp_path / "hub", role="hub", office_code="36")
    token = register(hub.env, "36.73")
    hub.start()
    try:
        office = environment(tmp_path / "office", office_code="36.73", hub_url=hub.url, hub_token=token,
                             sync_batch_bytes=3000)
        office_script(office, "file", office["KIOSK_DATA_DIR"], 8)
        rows = sum(len(table) for table in replicated(office["KIOSK_DATA_DIR"]).values())
        out = sync_summary(office)
        batches = int(re.search(r"rows? in (\d+) batch", out).group(1))
        assert rows < 500 and batches >= 5, out  # a few reports' worth of bytes each, far under the row limit
        assert replicated(office["KIOSK_DATA_DIR"]) == replicated(data(hub))
    finally:
        hub.stop()


@pytest.mark.process
def test_a_sync_killed_mid_upload_resumes_and_sends_no_file_twice(tmp_path):
    hub = Server(tmp_path / "hub", role="hub", office_code="36")
    token = register(hub.env, "36.73")
    # One upload at a time, so that the files stored when the hub dies are exactly its first bundle's.
    office = environment(tmp_path / "office", office_code="36.73", hub_url=hub.url, hub_token=token,
                         sync_retries=0, sync_uploads=1)
    office_script(office, "file", office["KIOSK_DATA_DIR"], 20, 1)  # a photo with every report
    files = {sha for (sha,) in query(office["KIOSK_DATA_DIR"], "SELECT DISTINCT blob FROM evidence")}
    assert len(files) == 20
    dying = DyingHub(data(hub), 5, what="evidence", role="hub", office_code="36")
    dying.port, dying.url, dying.env = hub.port, hub.url, hub.env  # the same hub, at the same address
    dying.start()  # stores a bundle of 16 files (5 or more), then dies before answering
    cut = kiosk(office, "sync")
    assert cut.returncode == 1 and "hub unreachable" in cut.stderr
    assert dying.wait_exit() == 75
    arrived = set(stored_files(data(hub))) & files
    assert len(arrived) == BUNDLE_FILES  # one request stored 16 files: a bundle
    hub.start()
    try:
        out = sync_summary(office)
        sent = int(re.search(r"(\d+) evidence files?", out).group(1))
        assert sent == 20 - len(arrived), out  # only what the hub still lacked
        assert stored_files(data(hub)) == {sha: sha for sha in files}  # every file, intact
        assert query(data(hub), "SELECT last_sync_result FROM hub_office") == [("ok",)]
        assert "nothing new" in sync_summary(office)
    finally:
        hub.stop()


def test_a_batch_of_more_rows_than_any_office_sends_is_refused_unread(hub):
    from kiosk.sync.ingest import MAX_ROWS

    rows = [{"id": uuid.uuid4().hex, "change_seq": n + 1} for n in range(MAX_ROWS + 1)]
    body = packed(canonical_json({"after": 0, "upto": MAX_ROWS + 1, "rows": {"status_event": rows}}), "gzip")
    status, answer = post(hub, body, headers={"Content-Encoding": "gzip"})
    assert (status, answer["error"]) == (413, "a batch carries at most 20,000 rows")
    assert held_reports() == 0


@pytest.mark.sqlite_hub  # the pragmas are SQLite's: on PostgreSQL bulk_writing is a plain transaction
def test_a_batchs_transaction_leaves_its_connection_as_the_others_are(hub):
    def pragmas():
        return [db.execute_sql(f"PRAGMA {name}").fetchone()[0]
                for name in ("foreign_keys", "wal_autocheckpoint", "cache_size")]

    with db.connection_context():
        assert pragmas() == [1, 1000, -8000]
        with pytest.raises(ZeroDivisionError), bulk_writing():
            assert pragmas() == [0, 0, -128 * 1024]
            1 / 0  # a batch that fails half-way
        assert pragmas() == [1, 1000, -8000]
