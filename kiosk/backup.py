"""Backups of an office's database: a consistent online copy with SQLite's backup API (safe while
the server runs), integrity-checked, with a SHA-256 file beside it, the newest N kept; evidence files
copied once into the backup store under their hash. And the way back: `restore`.

The server holds an exclusive lock (fcntl.flock) on DATA_DIR/serve.lock while it runs. Restore takes
the same lock, so it refuses while a server runs, and a server cannot start in the middle of a
restore. The kernel drops the lock when the process ends, however it ends, so unlike a pid file it
never goes stale, and unlike probing /healthz it does not depend on which address the server listens."""
import contextlib
import datetime as dt
import fcntl
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import click
from flask import current_app

from . import health, postgres, settings
from .store import backup_store, evidence_store, file_sha256, fsync, is_sha256, private_folder

NAME = re.compile(r"kiosk-\d{8}T\d{6}\.\d{3}Z\.sqlite3")
EVIDENCE_NAMES = ("blob", "original")  # the evidence columns that name a report's files in the store


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is one line for the operator."""


class ServerRunning(BackupError):
    """Another process (the server) holds DATA_DIR/serve.lock."""


@contextlib.contextmanager
def serve_lock(data_dir):
    """Hold DATA_DIR/serve.lock for as long as the block runs; BackupError if another process has it."""
    path = Path(data_dir) / "serve.lock"
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise ServerRunning(f"the server is running on this data folder ({holder} holds {path})")
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)


def backup_folder(config):
    """DATA_DIR/backups, made on first use."""
    return private_folder(Path(config["DATA_DIR"]) / "backups")


def integrity(path):
    """'ok', or what PRAGMA integrity_check (or opening the file at all) says is wrong."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            conn.execute("SELECT count(*) FROM report").fetchone()
    except sqlite3.DatabaseError as error:
        return str(error)
    return "ok" if problems == ["ok"] else "; ".join(problems[:3])


@dataclass
class Backup:
    """What `make_backup` made."""

    path: Path
    size: int
    sha256: str
    reports: int
    evidence_new: int
    evidence_damaged: int
    kept: int
    removed: int
    pruned: int
    seconds: float

    def summary(self):
        """One line for the operator."""
        damaged = f", {self.evidence_damaged} damaged (not copied)" if self.evidence_damaged else ""
        return (f"{self.path} ({self.size:,} bytes, {self.reports:,} reports, integrity ok, "
                f"sha256 {self.sha256[:12]}…); evidence: {self.evidence_new:,} new{damaged}, "
                f"{self.pruned:,} no longer in any backup removed; "
                f"{self.kept} backups kept, {self.removed} removed; {self.seconds:.1f} s")


def _new_name(folder):
    """A backup name from the current UTC time, to the millisecond, not yet taken."""
    now = dt.datetime.now(dt.timezone.utc)
    while True:
        name = f"kiosk-{now:%Y%m%dT%H%M%S}.{now.microsecond // 1000:03d}Z.sqlite3"
        if not (folder / name).exists():
            return folder / name
        now += dt.timedelta(milliseconds=1)


def backups(folder):
    """The complete backups in `folder` (those with their checksum file), oldest first."""
    return sorted(p for p in folder.iterdir() if NAME.fullmatch(p.name) and p.with_name(p.name + ".sha256").exists())


def rotate(folder, keep):
    """Delete all but the newest `keep` backups; returns how many were removed."""
    old = backups(folder)[:-keep] if keep > 0 else []
    for path in old:
        path.with_name(path.name + ".sha256").unlink(missing_ok=True)
        path.unlink(missing_ok=True)
    return len(old)


def evidence_in(path):
    """The evidence files a database file names."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return {name for name in evidence_named(conn) if is_sha256(name)}


def evidence_named(conn):
    """The names in the store of every file the database of `conn` names (an older one has no `original`)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(evidence)")}
    query = " UNION ".join(f"SELECT {name} FROM evidence" for name in EVIDENCE_NAMES if name in columns)
    return [name for (name,) in conn.execute(query)]


def copy_evidence(config, needed):
    """Copy into the backup store each of the evidence files `needed` it lacks, checked on the way; returns
    (copied, damaged)."""
    source, copies = evidence_store(config), backup_store(config)
    copied = damaged = 0
    for sha256 in sorted(needed):
        if copies.has(sha256) or not source.has(sha256):
            continue
        if copies.copy_from(source, sha256):
            copied += 1
        else:
            damaged += 1
    return copied, damaged


def prune_evidence(config, folder):
    """Delete from the backup store every file that no kept backup names (a cancelled draft's photo, a
    report's files once its last backup is rotated away); returns how many went."""
    named = set().union(*(evidence_in(path) for path in backups(folder))) if backups(folder) else set()
    copies = backup_store(config)
    gone = [sha256 for sha256 in copies.hashes() if sha256 not in named]
    for sha256 in gone:
        copies.remove(sha256)
    return len(gone)


def make_backup(config, keep):
    """Back up the database and evidence into DATA_DIR/backups; keep the newest `keep` backups.
    Raises BackupError when the copy fails its integrity check (the failed copy is not kept)."""
    started = time.monotonic()
    folder = backup_folder(config)
    with open(folder / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one backup at a time
        for stale in folder.glob(".partial-*"):
            stale.unlink()
        backup_store(config).clean_partials()  # copies a crash or a full disk cut short (this lock is held)
        final = _new_name(folder)
        partial = folder / f".partial-{final.name}"
        source = sqlite3.connect(config["DATABASE"], timeout=30)
        try:
            with contextlib.closing(sqlite3.connect(partial)) as copy:
                source.backup(copy)  # all pages in one step: one consistent snapshot, writers go on (WAL)
                copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
                # Drafts stay out of backups: an unsent draft is nobody's report, and a backup outlives it.
                copy.execute("DELETE FROM draft")
                copy.commit()
                copy.execute("VACUUM")  # and no page of the file keeps what the drafts held
                reports = copy.execute("SELECT count(*) FROM report").fetchone()[0]
        finally:
            source.close()
        result = integrity(partial)
        if result != "ok":
            partial.unlink()
            raise BackupError(f"the copy failed its integrity check: {result}")
        fsync(partial)
        sha256 = file_sha256(partial)
        os.replace(partial, final)
        checksum = final.with_name(final.name + ".sha256")
        temp = folder / f".partial-{checksum.name}"
        temp.write_text(f"{sha256}  {final.name}\n")
        os.replace(temp, checksum)
        fsync(folder)
        copied, damaged = copy_evidence(config, evidence_in(final))
        removed = rotate(folder, keep)
        pruned = prune_evidence(config, folder)
        kept = len(backups(folder))
    return Backup(final, final.stat().st_size, sha256, reports, copied, damaged, kept, removed, pruned,
                  time.monotonic() - started)


def verify(path):
    """Check a backup before using it: its checksum file, then its integrity. BackupError if not."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no such backup: {path}")
    checksum = path.with_name(path.name + ".sha256")
    if not checksum.is_file():
        raise BackupError(f"no checksum file beside the backup ({checksum.name}); refusing to restore it")
    expected = checksum.read_text().split()[0] if checksum.read_text().split() else ""
    if file_sha256(path) != expected:
        raise BackupError(f"checksum mismatch: {path.name} is not the file that was backed up")
    result = integrity(path)
    if result != "ok":
        raise BackupError(f"integrity check failed on {path.name}: {result}")


def _counters(database):
    """{name: value} of the counters in a database file, or {} when it cannot be read."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
            return dict(conn.execute("SELECT name, value FROM counter"))
    except sqlite3.DatabaseError:
        return {}


@dataclass
class Restored:
    """What `restore` did."""

    source: Path
    aside: Path | None
    reports: int
    evidence_restored: int
    evidence_missing: int

    def summary(self):
        """One line for the operator."""
        aside = f"the previous database is kept at {self.aside}" if self.aside else "there was no previous database"
        missing = f", {self.evidence_missing} not in the backup store" if self.evidence_missing else ""
        return (f"restored {self.source.name} (checksum and integrity ok, {self.reports:,} reports); "
                f"evidence: {self.evidence_restored:,} files put back{missing}; {aside}")


def restore(config, source):
    """Replace the database with the backup `source`, after checking its checksum and integrity and
    that no server runs. The current database (with its WAL) is moved aside, not deleted. Counters
    (receipt numbers, change numbers) never go back below what the replaced database had reached,
    and evidence files the restored reports need are put back from the backup store."""
    source = Path(source).resolve()
    verify(source)
    try:
        with serve_lock(config["DATA_DIR"]):
            return _replace(config, source)
    except ServerRunning as error:
        raise ServerRunning(f"{error}; stop it first") from None


def _replace(config, source):
    """Put the verified backup `source` in place of the database (the server lock held)."""
    database = Path(config["DATABASE"])
    reached = _counters(database) if database.exists() else {}
    temp = database.with_name(f".restore-{source.name}")
    shutil.copyfile(source, temp)
    fsync(temp)
    aside = None
    if database.exists():
        aside = database.with_name(f"{database.name}.before-restore-{dt.datetime.now():%Y%m%dT%H%M%S}")
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{database}{suffix}").exists():
                os.replace(f"{database}{suffix}", f"{aside}{suffix}")
    os.replace(temp, database)
    with contextlib.closing(sqlite3.connect(database)) as conn, conn:
        for name, value in reached.items():
            conn.execute("INSERT INTO counter (name, value) VALUES (?, ?) ON CONFLICT (name) "
                         "DO UPDATE SET value = max(value, excluded.value)", (name, value))
        reports = conn.execute("SELECT count(*) FROM report").fetchone()[0]
        needed = evidence_named(conn)
    fsync(database.parent)
    put_back = missing = 0
    evidence, copies = evidence_store(config), backup_store(config)
    for sha256 in needed:
        if not is_sha256(sha256) or evidence.has(sha256):
            continue
        if evidence.copy_from(copies, sha256):
            put_back += 1
        else:
            missing += 1
    return Restored(source, aside, reports, put_back, missing)


def one_line(error):
    """An exception's message on one line."""
    return " ".join(str(error).split()) or error.__class__.__name__


ON_POSTGRES = ("this hub's database is on PostgreSQL: back it up with pg_dump and restore it with pg_restore "
               "(docs/postgresql.md); `kiosk backup` and `kiosk restore` copy SQLite files only")


def do_backup(config, keep):
    """Run a backup and record its outcome for /healthz; returns the Backup or raises ClickException."""
    if postgres.is_postgres(config["DATABASE_URL"]):
        raise click.ClickException(f"backup refused: {ON_POSTGRES}")
    try:
        made = make_backup(config, keep)
    except (BackupError, OSError, sqlite3.Error) as error:
        health.record("backup", f"error: {one_line(error)}")
        raise click.ClickException(f"backup failed: {one_line(error)}")
    health.record("backup", "ok" if not made.evidence_damaged else f"error: {made.evidence_damaged} evidence files damaged")
    return made


@click.command("backup")
@click.option("--keep", type=click.IntRange(1), default=None, help="Backups to keep (default KIOSK_BACKUP_KEEP, 14).")
def backup(keep):
    """Back up the database (online, verified, checksummed) and new evidence files into DATA_DIR/backups."""
    config = current_app.config
    made = do_backup(config, keep or config["BACKUP_KEEP"])
    click.echo(f"backup ok: {made.summary()}")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
def restore_command(file):
    """Restore the database from a backup FILE (checksum and integrity checked first; refused while
    the server runs; the current database is kept aside)."""
    # Registered on the command group itself (kiosk.cli), so it runs without building the app: building
    # the app opens and migrates the current database, which may be the very thing that is broken.
    config = settings.finish(settings.from_environ())
    if postgres.is_postgres(config["DATABASE_URL"]):
        raise click.ClickException(f"restore refused: {ON_POSTGRES}")
    try:
        done = restore(config, file)
    except (BackupError, OSError, sqlite3.Error) as error:
        raise click.ClickException(f"restore refused: {one_line(error)}")
    click.echo(done.summary())
    return config


def init_app(app):
    """Give `app` its `backup` command (`restore` runs without an app: see kiosk.cli)."""
    app.cli.add_command(backup)
