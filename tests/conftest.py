"""Fixtures: a real SQLite file per test through the factory, a citizen's browser session over the
test client, and a live waitress server for browser tests."""
import datetime as dt
import re
import socket
import threading

import pytest
from waitress.server import create_server

from kiosk import create_app
from kiosk.deadlines import today

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(tmp_path):
    """The app with its own data folder (database, evidence, secret key) under tmp_path."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data")})
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


class Citizen:
    """A person using the site without JavaScript: each post carries the form's CSRF token."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def _remember(self, response):
        match = CSRF.search(response.get_data(as_text=True))
        if match:
            self.token = match.group(1)
        return response

    def get(self, url, **kwargs):
        kwargs.setdefault("follow_redirects", True)
        return self._remember(self.client.get(url, **kwargs))

    def post(self, url, data=None, **kwargs):
        if self.token is None:
            self.get("/lapor/")
        data = dict(data or {})
        data.setdefault("csrf_token", self.token)
        kwargs.setdefault("follow_redirects", True)
        return self._remember(self.client.post(url, data=data, **kwargs))


@pytest.fixture
def citizen(client):
    return Citizen(client)


def days_ago(n):
    """The ISO date n days before today (Asia/Jakarta)."""
    return (today() - dt.timedelta(days=n)).isoformat()


def event_answers(**changes):
    answers = {
        "category": "politik_uang", "occurred_on": days_ago(2), "learned_on": days_ago(1),
        "regency": "36.73", "district": "36.73.01", "village": "36.73.01.1001",
        "place_detail": "Dekat TPS 05, Jl. Maulana Yusuf",
        "description": "Tim sukses calon membagikan amplop berisi uang Rp100.000 kepada warga sebelum pencoblosan.",
        "action": "next",
    }
    answers.update(changes)
    return answers


TERLAPOR = {"terlapor_name": "Tim Sukses Calon Nomor 3", "terlapor_role": "tim_kampanye",
            "terlapor_address": "", "terlapor_phone": "", "action": "next"}

REPORTER = {
    "reporter_type": "pemilih", "reporter_name": "Siti Rahmawati", "reporter_nik": "3673015508900002",
    "reporter_birth_place": "Serang", "reporter_birth_date": "1990-08-15", "reporter_sex": "P",
    "reporter_occupation": "Guru", "reporter_nationality": "Indonesia",
    "reporter_address": "Jl. Ahmad Yani No. 12, Cipare, Serang", "reporter_phone": "0812 3456 7890",
    "reporter_email": "siti@example.com", "action": "next",
}


def walk_to_review(citizen, kind="formal", event=None, reporter=None, witnesses=(), contact=None):
    """Go through every step as a person would, up to 'check your answers'; return that page."""
    citizen.get(f"/lapor/kejadian?jenis={kind}")
    citizen.post("/lapor/kejadian", event or event_answers())
    citizen.post("/lapor/terlapor", TERLAPOR)
    for witness in witnesses:
        citizen.post("/lapor/saksi", dict(witness, action="add"))
    citizen.post("/lapor/saksi", {"action": "next"})
    response = citizen.post("/lapor/bukti", {"action": "next"})
    if kind == "formal":
        response = citizen.post("/lapor/pelapor", reporter or REPORTER)
    else:
        response = citizen.post("/lapor/kontak", contact or {"action": "next"})
    return response


def submit(citizen):
    """Tick the declaration and send the report shown on the review page."""
    page = citizen.get("/lapor/periksa").get_data(as_text=True)
    key = re.search(r'name="submit_key" value="([^"]+)"', page).group(1)
    return citizen.post("/lapor/kirim", {"submit_key": key, "declared_true": "y", "action": "send"}), key


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live_server(app):
    """The app served by a real waitress server on 127.0.0.1; yields its base URL."""
    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, driven by Playwright (which cannot download browsers here)."""
    from playwright.sync_api import sync_playwright

    from browser import ARGS, CHROMIUM

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server, request):
    """A fresh browser profile (context) on the live server; `locale` from the test's parameter."""
    from browser import WATCH_CSP

    locale = getattr(request, "param", "id-ID")
    context = chromium.new_context(base_url=live_server, locale=locale, viewport={"width": 1024, "height": 900})
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()
