"""Backups: a verified, checksummed online copy with rotation and the evidence store; restore checks
before it touches anything, refuses while the server runs, and keeps the current database aside."""
import contextlib
import hashlib
import io
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from kiosk.backup import make_backup
from kiosk.models import Report
from tests.support.citizen import REPORTER, submit, walk_to_review
from tests.support.servers import BIN, Server, environment, kiosk, messages


def photo():
    buffer = io.BytesIO()
    Image.effect_noise((80, 60), 64).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()


def file_report(citizen, with_photo=False):
    """File a report through the flow; returns its receipt number."""
    citizen.get("/lapor/kejadian?jenis=formal")
    if with_photo:
        citizen.post("/lapor/bukti", {"action": "upload", "files": [(io.BytesIO(photo()), "foto.jpg")]},
                     content_type="multipart/form-data")
    walk_to_review(citizen)
    page = submit(citizen)[0].get_data(as_text=True)
    return re.search(r"\d{4}/PL/36\.73/[IVX]+/\d{4}", page).group(0)


def backup(app, *args):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["backup", *args])
    assert result.exit_code == 0, result.output
    return Path(result.output.split("backup ok: ")[1].split(" (")[0])


def rows(path, sql):
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def data_dir(app):
    return Path(app.config["DATA_DIR"])


def test_backup_is_a_verified_checksummed_copy_with_the_evidence(app, citizen, client, data_dir):
    file_report(citizen, with_photo=True)
    file_report(citizen)
    path = backup(app)
    assert path.parent == data_dir / "backups" and path.stat().st_size > 0
    digest, name = (path.parent / (path.name + ".sha256")).read_text().split()
    assert name == path.name and digest == hashlib.sha256(path.read_bytes()).hexdigest()  # `sha256sum -c` reads it
    assert rows(path, "PRAGMA integrity_check") == [("ok",)]
    assert rows(path, "PRAGMA journal_mode") == [("delete",)]  # one self-contained file, no -wal beside it
    assert rows(path, "SELECT count(*) FROM report") == [(2,)]
    (sha,), = rows(path, "SELECT blob FROM evidence")
    assert hashlib.sha256((data_dir / "backups" / "evidence" / sha).read_bytes()).hexdigest() == sha

    with app.app_context():
        again = app.test_cli_runner().invoke(args=["backup"]).output
    assert "evidence: 0 new" in again  # each file is copied once
    health = client.get("/healthz").get_json()
    assert health["last_backup"]["result"] == "ok" and health["last_backup"]["at"].endswith("+00:00")


def test_backup_sees_only_committed_rows_while_a_writer_works(app, citizen, data_dir):
    file_report(citizen)
    writer = sqlite3.connect(data_dir / "kiosk.sqlite3", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a write in progress, as the server would hold one
    writer.execute("UPDATE report SET status = 'selesai'")
    try:
        made = make_backup(app.config, keep=14)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert rows(made.path, "SELECT status FROM report") == [("diterima",)]


def test_only_the_newest_backups_are_kept(app, data_dir):
    made = [backup(app, "--keep", "3") for _ in range(5)]
    kept = sorted(p.name for p in (data_dir / "backups").glob("kiosk-*.sqlite3"))
    assert kept == [p.name for p in made[-3:]]
    assert len(list((data_dir / "backups").glob("*.sha256"))) == 3


@pytest.mark.process  # `kiosk restore`
def test_backup_wipe_restore_round_trip(app, citizen, client, data_dir):
    receipts = [file_report(citizen, with_photo=True), file_report(citizen)]
    with app.app_context():
        before = {table: set(Report._meta.database.execute_sql(f"SELECT id, change_seq FROM {table}").fetchall())
                  for table in ("report", "witness", "evidence", "status_event")}
        code = Report.get(Report.receipt_no == receipts[0]).tracking_code
    path = backup(app)
    for leftover in [*data_dir.glob("kiosk.sqlite3*"), *(data_dir / "evidence").iterdir()]:
        leftover.unlink()  # the disk is wiped, the backup store survives

    result = kiosk(environment(data_dir), "restore", str(path))
    assert result.returncode == 0, result.stderr
    assert "2 reports" in result.stdout and "1 files put back" in result.stdout
    for table, pairs in before.items():
        assert set(rows(data_dir / "kiosk.sqlite3", f"SELECT id, change_seq FROM {table}")) == pairs
    (sha,), = rows(data_dir / "kiosk.sqlite3", "SELECT blob FROM evidence")
    assert hashlib.sha256((data_dir / "evidence" / sha).read_bytes()).hexdigest() == sha
    assert receipts[0] in client.get(f"/status?kode={code}").get_data(as_text=True)  # the citizen finds it again


@pytest.mark.process  # `kiosk restore`
def test_restore_keeps_the_current_database_aside_and_never_reuses_a_number(app, citizen, data_dir):
    file_report(citizen)
    path = backup(app)
    later = file_report(citizen)  # filed after the backup: receipt 0002

    result = kiosk(environment(data_dir), "restore", str(path))
    assert result.returncode == 0, result.stderr
    aside = Path(result.stdout.split("kept at ")[1].strip())
    assert aside.exists() and rows(aside, "SELECT receipt_no FROM report ORDER BY receipt_no")[-1] == (later,)
    assert rows(data_dir / "kiosk.sqlite3", "SELECT count(*) FROM report") == [(1,)]
    newest = file_report(citizen)
    assert newest.startswith("0003/")  # 0002 was handed to someone before the restore


@pytest.mark.process  # `kiosk restore`
def test_restore_refuses_a_backup_whose_checksum_or_integrity_fails(app, citizen, data_dir):
    file_report(citizen)
    path = backup(app)
    original = path.read_bytes()
    database = data_dir / "kiosk.sqlite3"
    current = rows(database, "SELECT id FROM report")

    data = bytearray(original)
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    result = kiosk(environment(data_dir), "restore", str(path))
    assert result.returncode == 1 and messages(result.stderr) == [
        f"Error: restore refused: checksum mismatch: {path.name} is not the file that was backed up"]

    data = bytearray(original)  # damage that the checksum file agrees with: the integrity check catches it
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size * 2 + 8: page_size * 3] = b"\x07" * (page_size - 8)
    path.write_bytes(bytes(data))
    (path.parent / (path.name + ".sha256")).write_text(f"{hashlib.sha256(bytes(data)).hexdigest()}  {path.name}\n")
    result = kiosk(environment(data_dir), "restore", str(path))
    assert result.returncode == 1 and "integrity check failed" in result.stderr and "Traceback" not in result.stderr
    assert rows(database, "SELECT id FROM report") == current  # nothing was touched


@pytest.mark.process  # `kiosk serve`, `kiosk backup`, `kiosk restore`
def test_restore_refuses_while_the_server_runs(tmp_path):
    server = Server(tmp_path / "office", office_code="36.73")
    server.start()
    try:
        made = kiosk(server.env, "backup")  # safe while the server runs
        assert made.returncode == 0, made.stderr
        path = made.stdout.split("backup ok: ")[1].split(" (")[0]
        refused = kiosk(server.env, "restore", path)
        assert refused.returncode == 1
        assert messages(refused.stderr)[0].startswith("Error: restore refused: the server is running")
        assert messages(refused.stderr)[0].endswith("; stop it first")
        second = kiosk(server.env, "serve")  # nor can a second server share the data folder
        assert second.returncode == 1 and "the server is running" in second.stderr
        assert server.healthz()["last_backup"]["result"] == "ok"
    finally:
        server.stop()
    assert kiosk(server.env, "restore", path).returncode == 0


def test_backups_leave_unsent_drafts_and_their_files_out(app, citizen, data_dir):
    """A citizen stops half-way: their NIK and their photo are in the draft, never in a backup; and a
    backup store file that no kept backup names is removed."""
    file_report(citizen, with_photo=True)
    walker = type(citizen)(app.test_client())
    walker.get("/lapor/kejadian?jenis=formal")
    walker.post("/lapor/bukti", {"action": "upload", "files": [(io.BytesIO(photo()), "draft.jpg")]},
                content_type="multipart/form-data")
    walker.post("/lapor/pelapor", dict(REPORTER, reporter_nik="3673014107850009"))  # typed, never sent
    kept = backup(app)
    assert b"3673014107850009" not in kept.read_bytes()
    assert rows(kept, "SELECT count(*) FROM draft") == [(0,)]
    (sent,), = rows(kept, "SELECT blob FROM evidence")
    assert sorted(p.name for p in (data_dir / "backups" / "evidence").iterdir()) == [sent]

    orphan = data_dir / "backups" / "evidence" / ("0" * 64)
    orphan.write_bytes(b"a file of a draft cancelled long ago")
    backup(app)
    assert not orphan.exists() and (data_dir / "backups" / "evidence" / sent).exists()


def test_every_file_the_app_writes_is_owner_only_whatever_the_umask(tmp_path):
    office = Server(tmp_path / "office", office_code="36.73")
    result = subprocess.run(["sh", "-c", f'umask 022 && exec "{BIN}/kiosk" backup'], env=office.env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    data = Path(office.env["KIOSK_DATA_DIR"])
    for path in [data, *data.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
