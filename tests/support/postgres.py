"""A PostgreSQL cluster of the tests' own: `initdb` and `pg_ctl` in a temporary folder, listening on a free
port of 127.0.0.1 (no root service, no password: trust for this machine only), one per test process (per
xdist worker). Each hub gets a new database copied from a migrated template (CREATE DATABASE … TEMPLATE,
a file copy on the server). Debian keeps the server's programs in /usr/lib/postgresql/<version>/bin; .ci/run
installs them. Missing programs fail the tests that need them: they are never skipped."""
import contextlib
import datetime as dt
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from .servers import free_port

KINDS = ("sqlite", "postgresql")  # the hub's tests run on each
TEMPLATE = "kiosk_template"
SERVER_USER = "postgres"  # Debian's account for the server: initdb refuses to run as root

URLS = {}  # {data folder: database URL} of the hubs the tests started on PostgreSQL


def programs():
    """The folder holding initdb and pg_ctl: on PATH, or Debian's newest /usr/lib/postgresql/*/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    if not folders:
        raise RuntimeError("PostgreSQL's initdb was not found (on PATH or in /usr/lib/postgresql/*/bin): the "
                           "hub's tests on PostgreSQL need Debian's `postgresql` package (.ci/run installs it)")
    return Path(folders[-1])


class Cluster:
    """A PostgreSQL server of this process's own in `folder`; `url(name)` for its databases."""

    def __init__(self, durable=False):
        self.durable = durable  # fsync and synchronous commits as a real server has them (the benchmark)
        self.folder = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
        self.port = free_port()
        self.bin = programs()
        self.user = None  # run the server as ourselves, or as `postgres` when we are root
        if os.geteuid() == 0:
            self.user = SERVER_USER
            os.chown(self.folder, pwd.getpwnam(SERVER_USER).pw_uid, -1)
        self.names = itertools.count(1)

    def _run(self, program, *args):
        result = subprocess.run([str(self.bin / program), *args], user=self.user, capture_output=True, text=True,
                                timeout=120, cwd=self.folder)
        if result.returncode != 0:
            raise RuntimeError(f"{program} failed: {result.stderr[-2000:]}")

    def start(self):
        """initdb and start the server (without fsync unless durable: a test's data need not survive a
        power cut)."""
        data = self.folder / "data"
        self._run("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync",
                  "--no-instructions")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=300"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(self.folder / "server.log"), "-w", "start")
        return self

    def stop(self):
        """Stop the server at once and remove its folder."""
        with contextlib.suppress(RuntimeError):
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, name):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def admin(self, sql):
        """Run `sql` (CREATE/DROP DATABASE: outside a transaction) on the cluster's own database."""
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(sql)

    def build_template(self):
        """The migrated template, with what tests.support.database puts in the SQLite one."""
        from .database import fill_template

        self.admin(f"CREATE DATABASE {TEMPLATE}")
        fill_template(self.url(TEMPLATE))
        return self

    def empty_database(self):
        """The URL of a new database with no tables (a hub's before its first start, or at an older schema)."""
        name = f"empty_{next(self.names)}"
        self.admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def new_database(self):
        """The URL of a new database copied from the template."""
        name = f"hub_{next(self.names)}"
        self.admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)


def closing_pool():
    """Close every connection of the database the app bound in this process (a hub on PostgreSQL keeps a
    pool of them open: each test's would stay)."""
    from kiosk.db import db

    if db.obj is not None and hasattr(db.obj, "close_all"):
        db.obj.close_all()


def plain(value):
    """A value read from PostgreSQL as sqlite3 gives the same column: UUID as its 32 hex digits (peewee's
    UUIDField on SQLite), booleans as 0/1, times and dates as their text."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return str(value)
    return value


def query(url, sql, params):
    """Rows of `sql` (with sqlite3's ? placeholders) on a PostgreSQL database, as sqlite3 would give them."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql.replace("?", "%s"), params)
        rows = cursor.fetchall() if cursor.description else []
    return [tuple(plain(value) for value in row) for row in rows]
