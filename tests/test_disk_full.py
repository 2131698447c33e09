"""A full disk during a report: the person is told plainly that nothing was sent (or that the file
was not added), the draft is kept, nothing half-written remains, and the same report goes through
once there is room again. In process, SQLite's own page limit makes it answer SQLITE_FULL; in a
real `kiosk serve`, the data folder is a small tmpfs in a private mount namespace, filled for real."""
import contextlib
import errno
import io
import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image

from kiosk.db import db
from kiosk.models import Counter, Draft, Report, StatusEvent, Witness
from tests.support import database as template_database
from tests.support.sealed import draft_of, opened_draft, session_of
from tests.support import html
from tests.support.citizen import Citizen, event_answers, submit, walk_to_review
from tests.support.servers import BIN, LiveClient, Server, environment, kiosk, office_script, query, register

LONG = "Tim sukses membagikan amplop berisi uang kepada warga. " * 90  # ~5000 characters: a page of its own
WITNESS = {"witness_name": "Budi Santoso", "witness_phone": "0813 1111 2222"}


@pytest.fixture
def office(make_app):
    """An office whose database may grow only up to `app.page_limit` pages (None: as large as SQLite
    allows): beyond it SQLite answers SQLITE_FULL, as on a full disk. The limit is a per-connection
    pragma, so this test's own before_request sets it on each request's connection."""
    app = make_app("data", MIN_FORM_SECONDS=0, RATE_LIMITS=False)
    app.page_limit = None

    @app.before_request
    def limit_pages():
        db.execute_sql(f"PRAGMA max_page_count = {int(app.page_limit or 4294967294)}")

    return app


@pytest.fixture
def person(office):
    citizen = Citizen(office.test_client())
    citizen.get("/bahasa/en?next=/")
    return citizen


def fill_to_the_brim(app):
    """From the next request on, SQLite may not grow the database by a single page (and has none
    free: VACUUM empties the free list first)."""
    with contextlib.closing(sqlite3.connect(app.config["DATABASE"])) as conn:
        conn.execute("VACUUM")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    app.page_limit = pages


def integrity(path, **connect):
    with contextlib.closing(sqlite3.connect(path, **connect)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def test_a_full_database_during_the_submission(office, person):
    walk_to_review(person, event=event_answers(description=LONG), witnesses=[WITNESS])
    fill_to_the_brim(office)
    response, key = submit(person)
    page = response.get_data(as_text=True)
    assert response.status_code == 507
    assert "Your report has NOT been sent" in page
    assert html.link(page, "Back to your report", within="main") == "/lapor/periksa"
    with office.app_context():
        assert Report.select().count() == Witness.select().count() == StatusEvent.select().count() == 0
        assert not Counter.select().where(Counter.name.startswith("receipt:")).exists()  # no number spent
        draft = draft_of(person)
        assert draft["fields"]["description"] == LONG and len(draft["witnesses"]) == 1
    assert integrity(office.config["DATABASE"]) == "ok"

    office.page_limit = None  # staff made room
    receipt = submit(person)[0].get_data(as_text=True)
    assert "tracking-code" in receipt and "0001/PL/36.73/" in receipt
    with office.app_context():
        assert Report.select().count() == Witness.select().count() == StatusEvent.select().count() == 1
        assert Draft.select().count() == 0


def test_a_full_database_while_saving_a_step(office, person):
    person.get("/lapor/kejadian?jenis=formal")
    person.post("/lapor/kejadian", event_answers())
    fill_to_the_brim(office)
    response = person.post("/lapor/kejadian", event_answers(description=LONG))
    page = response.get_data(as_text=True)
    assert response.status_code == 507
    assert "storage is full" in page and "Everything saved before is kept" in page
    with office.app_context():
        assert draft_of(person)["fields"]["description"] == event_answers()["description"]
    office.page_limit = None
    assert person.post("/lapor/kejadian", event_answers(description=LONG)).status_code == 200
    with office.app_context():
        assert draft_of(person)["fields"]["description"] == LONG


# ---- a real full disk: a tmpfs of a few MB as the data folder of a real `kiosk serve` ----

def private_mounts_allowed():
    """Whether this machine lets us mount a tmpfs in a user and mount namespace of our own."""
    probe = Path("/tmp") / f"kiosk-mount-probe-{os.getpid()}"
    probe.mkdir(exist_ok=True)
    try:
        result = subprocess.run(["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {probe}"],
                                capture_output=True, timeout=10)
        return result.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False
    finally:
        probe.rmdir()


class SmallDiskServer(Server):
    """`kiosk serve` whose data folder is a tmpfs of `size`, mounted in its own namespace; the test
    reaches the files through /proc/<pid>/root while it runs."""

    def __init__(self, data_dir, size, seed=None, **settings):
        super().__init__(data_dir, **settings)
        self.size, self.seed = size, seed

    def command(self):
        # The small disk starts as every test's data folder (the migrated template, with the test keys), or as
        # the database `seed`.
        seed = self.seed or template_database.template()
        script = (f'mount -t tmpfs -o size={self.size} tmpfs "$KIOSK_DATA_DIR" && '
                  f'cp "{seed}" "$KIOSK_DATA_DIR/kiosk.sqlite3" && exec "{BIN}/kiosk" serve')
        return ["unshare", "-rm", "sh", "-c", script]

    def path(self, *parts):
        """A path in the server's data folder, as the server sees it."""
        return Path(f"/proc/{self.process.pid}/root", self.env["KIOSK_DATA_DIR"].lstrip("/"), *parts)

    def query(self, sql):
        """Rows of `sql` on a copy of the database and its WAL, taken between requests (SQLite resolves
        /proc/<pid>/root to our own root, where the tmpfs is not mounted)."""
        copy = Path(self.env["KIOSK_DATA_DIR"]).parent / "copy"
        shutil.rmtree(copy, ignore_errors=True)
        copy.mkdir()
        for name in ("kiosk.sqlite3", "kiosk.sqlite3-wal"):
            if self.path(name).exists():
                shutil.copyfile(self.path(name), copy / name)
        with contextlib.closing(sqlite3.connect(copy / "kiosk.sqlite3", timeout=10)) as conn:
            return conn.execute(sql).fetchall()

    def fill(self, leave=0):
        """Fill the disk with a filler file (until ENOSPC), then give back `leave` bytes of it."""
        filler = self.path("filler")
        with open(filler, "ab", buffering=0) as out:
            with pytest.raises(OSError) as full:
                while True:
                    out.write(b"\0" * 65536)
        assert full.value.errno == errno.ENOSPC
        if leave:
            os.truncate(filler, filler.stat().st_size - leave)
        room = os.statvfs(filler)
        assert room.f_bavail * room.f_frsize <= leave + 65536

    def make_room(self):
        self.path("filler").unlink()


def noisy_jpeg(width, height):
    buffer = io.BytesIO()
    Image.effect_noise((width, height), 90).convert("RGB").save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def need_private_mounts():
    """Asked in the test, not at collection: `make test-fast` starts no process."""
    if not private_mounts_allowed():
        if os.environ.get("CI"):
            pytest.fail("CI must be able to mount a tmpfs in a user and mount namespace (unshare -rm)")
        pytest.skip("no user/mount namespaces to mount a small tmpfs in")


@pytest.mark.process  # `kiosk serve` in a mount namespace of its own
def test_a_really_full_disk_during_an_upload_and_the_submission(tmp_path):
    need_private_mounts()
    server = SmallDiskServer(tmp_path / "office", size="4m", min_form_seconds=0, rate_limits=0)
    server.start()
    try:
        person = Citizen(LiveClient(server.url))
        person.get("/bahasa/en?next=/")
        walk_to_review(person, witnesses=[WITNESS])
        photo = noisy_jpeg(900, 700)  # ~500 KB

        # The evidence: room for the draft's own writes, none for the file.
        server.fill(leave=len(photo) // 4)
        response = person.post("/lapor/bukti", {"action": "upload", "physical": "y", "physical_desc": "2 amplop",
                                                "files": [(io.BytesIO(photo), "amplop.jpg")]},
                               content_type="multipart/form-data")
        page = response.get_data(as_text=True)
        assert response.status_code == 507
        assert "amplop.jpg was not added: the office&#39;s storage is full" in page
        assert [p.name for p in server.path("evidence").iterdir()] == []  # no partial file left
        (sealed,) = server.query("SELECT sealed FROM draft")[0]
        cookie = next(c.value for c in person.client.cookies if c.name == "session")
        draft = opened_draft(sealed, session_of(cookie, server.path("secret_key").read_text().strip()))
        assert draft["fields"]["physical_desc"] == "2 amplop" and draft["evidence"] == []  # the answers typed are kept

        # The submission: not one block free.
        server.fill()
        response, key = submit(person)
        assert response.status_code == 507
        assert "Your report has NOT been sent" in response.get_data(as_text=True)
        assert server.query("SELECT count(*) FROM report") == [(0,)]
        assert server.query(f"SELECT count(*) FROM draft WHERE id = '{key}'") == [(1,)]

        server.make_room()
        receipt = submit(person)[0].get_data(as_text=True)
        assert "tracking-code" in receipt
        assert server.query("SELECT count(*) FROM report") == [(1,)]
        assert server.query("SELECT count(*) FROM witness") == [(1,)]
        assert server.query("SELECT count(*) FROM status_event") == [(1,)]
        assert server.query("PRAGMA integrity_check") == [("ok",)]
    finally:
        server.stop()
        time.sleep(0.1)


@pytest.mark.process  # the hub's `kiosk serve` in a mount namespace of its own, the office's CLI
def test_a_full_disk_at_the_hub_stops_the_sync_and_the_next_one_sends_everything_once(tmp_path):
    need_private_mounts()
    seed = environment(tmp_path / "seed", role="hub", office_code="36")  # the hub's database, its office registered, copied onto the small disk
    token = register(seed, "36.73")
    hub = SmallDiskServer(tmp_path / "hub", size="8m", seed=tmp_path / "seed" / "kiosk.sqlite3", role="hub",
                          office_code="36")
    office = environment(tmp_path / "office", office_code="36.73", hub_url=hub.url, hub_token=token, sync_retries=0)
    office_script(office, "file", tmp_path / "office", 12, 3)
    hub.start()
    try:
        hub.fill()
        failed = kiosk(office, "sync", "--batch-size", "10")
        assert failed.returncode != 0 and "hub refused batch (507): the hub's storage is full" in failed.stderr
        assert query(tmp_path / "office", "SELECT value FROM sync_state WHERE key = 'watermark'") in ([], [("0",)])
        assert hub.query("SELECT count(*) FROM report") == [(0,)]

        hub.make_room()
        done = kiosk(office, "sync", "--batch-size", "10")
        assert done.returncode == 0, done.stderr
        assert hub.query("SELECT count(*) FROM report") == [(12,)]
        assert hub.query("SELECT count(*) FROM evidence") == query(tmp_path / "office", "SELECT count(*) FROM evidence")
        assert sorted(hub.path("evidence").iterdir()) and hub.query("PRAGMA integrity_check") == [("ok",)]
    finally:
        hub.stop()
        time.sleep(0.1)
