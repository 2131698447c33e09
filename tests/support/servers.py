"""Real `kiosk` processes for the backup and replication tests: each server is `kiosk serve` in a
subprocess with its own data folder, role and free port (peewee's database handle is one per
process, so an office and a hub cannot share one)."""
import contextlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from . import database as template_database
from . import keys

# Whether the running test may start processes: tests/conftest.py sets it before each test, True when
# the test is marked `process` (`make test-fast` leaves those out, and so must start none). Outside
# pytest (the benchmarks), anything goes.
MAY_START_PROCESSES = True

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]  # the repository: `python -m tests.support.…` runs from here
TABLES = ("report", "witness", "evidence", "status_event")


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now (each server and test process asks anew)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(app, threads=4):
    """The app served by a real waitress server on 127.0.0.1 in a thread of this process; yields its
    base URL. It stops from inside its own loop: closing its sockets from another thread while the loop
    waits on them in select() failed now and then with EBADF in the server's thread."""
    from waitress import wasyncore
    from waitress.server import create_server

    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        # Run in the loop's thread at its next turn: every socket closed and the map emptied, so the loop ends.
        try:
            server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        except OSError:  # its loop already ended, and closed the trigger with its sockets: nothing to stop
            pass
        thread.join(timeout=10)
        server.task_dispatcher.shutdown()
        assert not thread.is_alive(), "the test server did not stop"


def starting(what):
    """Fail unless the running test is marked `process`."""
    assert MAY_START_PROCESSES, f"{what} starts a process: mark the test @pytest.mark.process"


def environment(data_dir, **settings):
    """The environment for a kiosk process: no KIOSK_* from outside, then ours. A new data folder starts as
    every test's does: a copy of the migrated template, with the offices' test keys."""
    if not template_database.holds_one(data_dir):
        template_database.data_folder(template_database.template(), data_dir)
    env = {key: value for key, value in os.environ.items() if not key.startswith("KIOSK_")}
    env["KIOSK_DATA_DIR"] = str(data_dir)
    env["KIOSK_KDF_MEMORY_MB"] = "8"  # quick sign-ins (an office uses 128)
    env["KIOSK_HUB_KEY"] = keys.HUB_KEY  # offices seal each report's key to the (test) hub's too
    env.update({f"KIOSK_{key.upper()}": str(value) for key, value in settings.items()})
    # A hub on PostgreSQL (tests/support/postgres.py): its data folder names its database from then on.
    from . import postgres

    folder = str(Path(data_dir).resolve())
    if settings.get("database_url"):
        postgres.URLS[folder] = settings["database_url"]
    elif folder in postgres.URLS:
        env["KIOSK_DATABASE_URL"] = postgres.URLS[folder]
    return env


def kiosk(env, *args, timeout=120, input=None):
    """Run `kiosk ARGS` to the end (with `input` on its standard input); the CompletedProcess (text)."""
    starting(f"kiosk {args[0] if args else ''}")
    return subprocess.run([BIN / "kiosk", *args], env=env, capture_output=True, text=True, timeout=timeout,
                          input=input)


def register(hub_env, code, *flags):
    """Register an office at the hub with the CLI; its token (the last line printed)."""
    result = kiosk(hub_env, "hub-add-office", "--code", code, *flags)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def office_script(env, *args):
    """Run tests/support/sync_office.py (reports filed through the real flow) in the office's data folder."""
    starting("tests.support.sync_office")
    result = subprocess.run([sys.executable, "-m", "tests.support.sync_office", *map(str, args)], env=env,
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


def messages(stderr):
    """stderr without the log lines (timestamped) a first start writes while migrating."""
    return [line for line in stderr.splitlines() if line and not line[:4].isdigit()]


class Server:
    """`kiosk serve` in a subprocess; `start` waits until /healthz answers."""

    cwd = None  # the working directory of the process (None: the test's)
    startup = 20  # seconds `start` waits for /healthz to answer

    def __init__(self, data_dir, **settings):
        self.port = free_port()
        self.env = environment(data_dir, port=self.port, **settings)
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.log = Path(data_dir).parent / f"serve-{self.port}.log"

    def start(self, **extra):
        """Start the server (with extra environment variables)."""
        starting(" ".join(map(str, self.command())))
        env = dict(self.env, **{key: str(value) for key, value in extra.items()})
        Path(self.env["KIOSK_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(self.command(), env=env, cwd=self.cwd, stdout=log,
                                            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.startup
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            with contextlib.suppress(OSError):
                return self.healthz()
            time.sleep(0.1)
        raise RuntimeError("server did not answer /healthz")

    def command(self):
        """The command line that serves (a subclass may wrap it)."""
        return [BIN / "kiosk", "serve"]

    def healthz(self):
        """The server's /healthz as a dict."""
        with urllib.request.urlopen(self.url + "/healthz", timeout=5) as response:
            return json.loads(response.read())

    def wait_exit(self, timeout=10):
        """The exit code once the server has ended by itself."""
        return self.process.wait(timeout=timeout)

    def stop(self):
        """Stop the server (SIGTERM, then SIGKILL) if it runs."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class DyingHub(Server):
    """The hub served by tests/support/hub_dies.py: it exits after committing its `batches`th batch (or
    storing its `batches`th evidence file, with what="evidence"), unanswered."""

    cwd = ROOT

    def __init__(self, data_dir, batches, what="batch", **settings):
        super().__init__(data_dir, **settings)
        self.batches, self.what = batches, what

    def command(self):
        return [sys.executable, "-m", "tests.support.hub_dies", str(self.batches), self.what]


def database(data_dir):
    """The SQLite file in a data folder."""
    return Path(data_dir) / "kiosk.sqlite3"


def query(data_dir, sql, *params):
    """Rows of `sql` on a data folder's database, read directly with sqlite3 (or psycopg, for a hub on
    PostgreSQL, given as sqlite3 would)."""
    from . import postgres

    url = postgres.URLS.get(str(Path(data_dir).resolve()))
    if url:
        return postgres.query(url, sql, params)
    with contextlib.closing(sqlite3.connect(database(data_dir), timeout=10)) as conn:
        return conn.execute(sql, params).fetchall()


def execute(data_dir, sql, *params):
    """Run a statement that changes a data folder's database (committed at once), on either kind."""
    from . import postgres

    url = postgres.URLS.get(str(Path(data_dir).resolve()))
    if url:
        return postgres.query(url, sql, params)
    with contextlib.closing(sqlite3.connect(database(data_dir), timeout=10)) as conn, conn:
        conn.execute(sql, params)


def replicated(data_dir):
    """{table: {(uuid, change_seq)}} of the four replicated tables."""
    return {table: set(query(data_dir, f"SELECT id, change_seq FROM {table}")) for table in TABLES}


def evidence_hashes(data_dir):
    """The SHA-256 of every evidence row."""
    return {sha for (sha,) in query(data_dir, "SELECT DISTINCT blob FROM evidence")}


def stored_files(data_dir):
    """{name: sha256 of the bytes} of the files in the evidence folder."""
    import hashlib

    folder = Path(data_dir) / "evidence"
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if not p.name.startswith(".")}


class LiveClient:
    """A person's browser against a live server, without JavaScript (cookies, redirects followed),
    shaped like Flask's test client so that tests.support.citizen's Citizen, walk_to_review and submit
    drive it."""

    class Page:
        def __init__(self, body, status):
            self.body, self.status_code = body, status

        def get_data(self, as_text=False):
            return self.body.decode() if as_text else self.body

    def __init__(self, base):
        import http.cookiejar

        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.visited = []  # every URL asked for, and every URL a redirect led to

    def _open(self, request):
        self.visited.append(request.full_url)
        try:
            with self.opener.open(request, timeout=10) as response:
                self.visited.append(response.url)
                return self.Page(response.read(), response.status)
        except urllib.error.HTTPError as error:
            return self.Page(error.read(), error.code)

    def get(self, url, follow_redirects=True):
        return self._open(urllib.request.Request(self.base + url))

    def post(self, url, data=None, follow_redirects=True, content_type=None):
        from urllib.parse import urlencode

        if content_type == "multipart/form-data":
            body, content_type = multipart(data or {})
        else:
            body, content_type = urlencode(data or {}, doseq=True).encode(), "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + url, data=body, method="POST",
                                         headers={"Content-Type": content_type})
        return self._open(request)


def multipart(data):
    """A multipart/form-data body of `data` as Flask's test client takes it: a value is text, or a
    (file, name) pair, or a list of those. Returns (body, content type)."""
    import uuid

    boundary = uuid.uuid4().hex
    parts = []
    for name, values in data.items():
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, tuple):
                stream, filename = value[:2]
                head = f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n' \
                       "Content-Type: application/octet-stream\r\n"
                content = stream.read()
            else:
                head, content = f'Content-Disposition: form-data; name="{name}"\r\n', str(value).encode()
            parts.append(f"--{boundary}\r\n{head}\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
