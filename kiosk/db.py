"""The database: one peewee handle bound in the factory, a pooled connection per request. An office's is
one SQLite file; the hub's may be PostgreSQL instead (KIOSK_DATABASE_URL, kiosk/postgres.py)."""
import contextlib
import os
import sqlite3
import threading
from pathlib import Path

import click
import peewee
from flask import current_app, g
from playhouse import db_url
from playhouse.pool import PooledSqliteDatabase

from . import counting, planner, regions

db = peewee.DatabaseProxy()

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# WAL lets readers work while one writer commits; FULL sync because a receipt handed to a person must
# survive a power cut at the office; busy_timeout makes a second writer wait instead of failing.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "cache_size": -8000,
}
WAL_AUTOCHECKPOINT = 1000  # pages: SQLite's default, set back after `bulk_writing`
BULK_CACHE = -128 * 1024  # KiB of page cache for a `bulk_writing` transaction (the usual: SQLITE_PRAGMAS)


class BaseModel(peewee.Model):
    """Every model lives in the one database bound by `init_app`."""

    class Meta:
        database = db
        legacy_table_names = False


class Pool(PooledSqliteDatabase):
    """SQLite connections kept open between requests: opening one, with its pragmas and the schema,
    cost a third of a millisecond on every request. A connection to a file that has since been
    replaced (a restore: refused while the server runs, but tests restore between requests) is never
    reused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._file = None

    def connect(self, reuse_if_open=False):
        """A connection from the pool (its idle ones dropped if the file is no longer the same)."""
        try:
            stat = os.stat(self.database)
            file = (stat.st_dev, stat.st_ino)
        except OSError:
            file = None
        if file != self._file:
            self.close_idle()
            self._file = file
        return super().connect(reuse_if_open)


def open_database(url):
    """Open the database at `url` (a `sqlite:///` or `postgresql://` URL, or a bare SQLite path), read by
    playhouse.db_url: SQLite with the project's pragmas, as a pool of one connection a thread at a time,
    closed after 10 idle minutes; PostgreSQL as kiosk.postgres pools it."""
    from . import postgres

    if "://" not in url:
        url = "sqlite:///" + url
    if postgres.is_postgres(url):
        return postgres.open_database(url)
    params = db_url.parse(url)
    return Pool(params.pop("database"), pragmas=SQLITE_PRAGMAS, check_same_thread=False, max_connections=None,
                stale_timeout=600, **params)


def on_sqlite():
    """Whether the bound database is SQLite (an office's, or a hub's that has no PostgreSQL)."""
    return isinstance(db.obj, peewee.SqliteDatabase)


def keep_wal_open(path):
    """A connection held for the life of the process. Without one, a request's connection is the
    last when the office is quiet, and SQLite checkpoints and deletes the WAL and its index as it
    closes, to make both again on the next request: needless fsyncs, and on a full disk no request
    could open the database at all (making the index needs room), not even to show the page saying
    the disk is full. The connection reads once (taking its place in WAL mode) and is idle after."""
    keeper = sqlite3.connect(path, check_same_thread=False)
    keeper.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return keeper


# One writer at a time within this process, queued on a lock that wakes the next writer the moment the
# last one commits. SQLite's own wait for its write lock (busy_timeout) polls with sleeps of up to 100 ms:
# under load some writers then wait seconds while others go straight through (bench/load.py shows the
# spread). busy_timeout still covers writers of other processes (kiosk backup, sync).
_write_lock = threading.RLock()


@contextlib.contextmanager
def writing():
    """A write transaction. On SQLite it begins IMMEDIATE, taking the write lock up front, so that concurrent
    writers wait instead of failing mid-transaction with 'database is locked'. PostgreSQL locks rows, not the
    database: a plain transaction, and writers of different rows go side by side."""
    if not on_sqlite():
        with db.atomic():
            yield
        return
    with _write_lock, db.atomic("IMMEDIATE"):
        yield


@contextlib.contextmanager
def bulk_writing():
    """A write transaction (`writing`) for many rows at once whose references the caller has checked itself
    (the hub's batches: kiosk.sync.ingest.check_ownership refuses a child whose report or addition is neither
    in the batch nor held). On SQLite, for this connection and this transaction only:
    - no foreign-key checks: the 63 batches of bench/sync.py's season took 104 s with them, 91 s without;
    - no checkpoint at commit: copying a batch's pages from the WAL into the database file grew from 60 to
      350 ms a batch with the database. Call `checkpoint` once the caller has answered;
    - a page cache of 128 MB, not 8: a batch's rows land on random pages of the UUID indexes, and with the
      usual cache SQLite spilled and read them again within the transaction (the season's rows 54.4 -> 49.3 s).
    All are set outside the transaction (SQLite ignores the first two inside one) and back after it, whatever
    happens (a smaller cache gives its memory back); no rows are deleted meanwhile, so no cascade is missed."""
    if not on_sqlite():
        with writing():
            yield
        return
    db.execute_sql("PRAGMA foreign_keys = 0")
    db.execute_sql("PRAGMA wal_autocheckpoint = 0")
    db.execute_sql(f"PRAGMA cache_size = {BULK_CACHE}")
    try:
        with writing():
            yield
    finally:
        db.execute_sql("PRAGMA foreign_keys = 1")
        db.execute_sql(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT}")
        db.execute_sql(f"PRAGMA cache_size = {SQLITE_PRAGMAS['cache_size']}")


def checkpoint():
    """Copy what the WAL holds into the database file, as SQLite does after a commit, without waiting for
    readers or blocking writers (PASSIVE); nothing on PostgreSQL."""
    if on_sqlite():
        db.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")


def schema_runner():
    """peewee's migration runner over `kiosk/migrations`."""
    from playhouse.migrations import Runner

    return Runner(db.obj, directory=str(MIGRATIONS_DIR))


def migrate():
    """Apply every pending migration; return the names applied."""
    with db.connection_context():
        return schema_runner().up()


def schema_version():
    """The number of the newest applied migration (0 for an empty database)."""
    applied = schema_runner().applied()
    return max((int(name.split("_", 1)[0]) for name in applied), default=0)


@click.command("init-db")
def init_db():
    """Create the database or bring its schema up to date (safe to run again)."""
    migrate()  # the factory has already migrated; this is for clarity and is a no-op then
    with db.connection_context():
        version = schema_version()
    config = current_app.config
    click.echo(f"{regions.office_name(config['OFFICE_CODE'])} ({config['OFFICE_CODE']}, {config['ROLE']}): "
               f"schema version {version}, database {shown_database(config)}")


def shown_database(config):
    """The database as `init-db` names it: the SQLite file, or the PostgreSQL URL without its password."""
    from . import postgres

    return postgres.without_password(config["DATABASE_URL"]) if postgres.is_postgres(config["DATABASE_URL"]) \
        else config["DATABASE"]


def init_app(app):
    """Bind the database for `app`, apply migrations, open/close a connection per request; `init-db`."""
    app.cli.add_command(init_db)
    db.initialize(open_database(app.config["DATABASE_URL"]))
    migrate()
    counting.keep(db)
    planner.refresh(db)
    if on_sqlite():
        app.extensions["kiosk_wal"] = keep_wal_open(app.config["DATABASE"])

    @app.before_request
    def _connect():
        db.connect(reuse_if_open=True)
        g.db_open = True

    @app.teardown_request
    def _close(exc):
        if g.pop("db_open", False) and not db.is_closed():
            db.close()
