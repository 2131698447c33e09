"""Fixtures: a real SQLite file per test through the factory, a citizen's browser session over the
test client, and a live waitress server for browser tests."""
import datetime as dt
import functools
import os
import re
import socket
import threading

import pytest
from hypothesis import settings
from waitress.server import create_server

from kiosk import create_app
from kiosk.deadlines import today

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

# Property-based tests: a few dozen examples per form on every run (the whole suite stays a few
# minutes on a 2-core machine); HYPOTHESIS_PROFILE=thorough for a long hunt.
settings.register_profile("kiosk", max_examples=25, deadline=None)
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "kiosk"))


@pytest.fixture
def app(tmp_path):
    """The app with its own data folder (database, evidence, secret key) under tmp_path."""
    # Tests file reports faster than any person: the minimum time is tested on its own. Passwords become
    # keys with 8 MB of Argon2id, not the 128 MB of an office, so that hundreds of sign-ins stay quick.
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"), "MIN_FORM_SECONDS": 0,
                      "KDF_MEMORY_MB": 8})
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
    from browser import ARGS, CHROMIUM
    from playwright.sync_api import sync_playwright

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


# ---- The staff workspace: accounts, a signed-in member of staff, reports made straight in the database ----

STAFF_PASSWORD = "correct horse battery"


@functools.lru_cache(maxsize=None)
def password_hash(password):
    """The scrypt hash of `password`, made once per test run: scrypt is slow on purpose."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password, method="scrypt")


def make_staff(username, role="petugas", office="36.73", password=STAFF_PASSWORD, active=True):
    """A staff account, stored."""
    from kiosk.staff.models import Staff

    account = Staff(office_code=office, username=username, role=role, active=active,
                    password_hash=password_hash(password))
    account.save()
    return account


class StaffMember(Citizen):
    """Office staff in a browser without JavaScript, reading English (the source strings)."""

    def __init__(self, client):
        super().__init__(client)
        client.get("/bahasa/en?next=/")

    def post(self, url, data=None, **kwargs):
        if self.token is None:
            self.get("/staff/login")
        return super().post(url, data, **kwargs)

    def login(self, username, password=STAFF_PASSWORD, office="36.73"):
        """Sign in; returns the page signed in to (or the sign-in page with its problem)."""
        self.get("/staff/login")
        return self.post("/staff/login", {"office": office, "username": username, "password": password})


@pytest.fixture
def accounts(app):
    """An admin and a petugas of Kota Serang (36.73), and an admin of Pandeglang (36.01)."""
    return {"admin": make_staff("admin", "admin"), "petugas": make_staff("petugas"),
            "other": make_staff("pandeglang", "admin", office="36.01")}


@pytest.fixture
def staff_as(app, accounts):
    """staff_as('admin'|'petugas'|'other'): a signed-in StaffMember with a client of their own."""
    offices = {"other": "36.01"}

    def sign_in(who):
        member = StaffMember(app.test_client())
        member.login(accounts[who].username, office=offices.get(who, "36.73"))
        return member

    return sign_in


def make_report(office="36.73", submitted_at=None, **fields):
    """A formal report of `office` stored straight through the models (as create_report would), with
    its first status event; `fields` override any column."""
    from lokal import add_working_days

    from kiosk import tracking
    from kiosk.deadlines import local_date
    from kiosk.models import Report, StatusEvent, utcnow
    from kiosk.numbering import next_receipt_no

    at = submitted_at or utcnow()
    received_on = local_date(at)
    values = dict(
        office_code=office, receipt_no=next_receipt_no(office, received_on), tracking_code=tracking.new_code(),
        kind="formal", channel="web", submitted_at=at, kajian_awal_due=add_working_days(received_on, 2),
        declared_true=True, category="politik_uang", occurred_on=received_on - dt.timedelta(days=2),
        learned_on=received_on - dt.timedelta(days=1), regency_code="36.73", district_code="36.73.01",
        village_code="36.73.01.1001", place_detail="Dekat TPS 05",
        description="Tim sukses membagikan amplop berisi uang kepada warga sebelum pencoblosan.",
        terlapor_name="Tim Sukses Calon Nomor 3", terlapor_role="tim_kampanye", updated_at=at,
        reporter_type="pemilih", reporter_name=REPORTER["reporter_name"], reporter_nik=REPORTER["reporter_nik"],
        reporter_birth_place="Serang", reporter_birth_date=dt.date(1990, 8, 15), reporter_sex="P",
        reporter_occupation="Guru", reporter_nationality="Indonesia", reporter_address=REPORTER["reporter_address"],
        reporter_phone="+6281234567890", reporter_email="siti@example.com", physical_evidence="2 amplop",
    )
    values.update(fields)
    report = Report(**values)
    report.save(force_insert=True)
    StatusEvent(report=report, status="diterima", at=at, actor="system").save(force_insert=True)
    return report


# ---- The provincial hub (KIOSK_ROLE=hub): accounts of office 36, and the offices' replicated rows ----

@pytest.fixture
def hub_app(tmp_path):
    """The app as the provincial hub, with its own data folder. Not with `app` in one test: the database
    handle is one per process."""
    return create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "hub"), "ROLE": "hub", "OFFICE_CODE": "36",
                       "KDF_MEMORY_MB": 8})


@pytest.fixture
def hub_accounts(hub_app):
    """Provincial staff (office 36): an admin and a petugas; and an admin of Kota Serang (36.73) created
    on the hub, as an operator might by mistake."""
    return {"admin": make_staff("prov-admin", "admin", office="36"), "petugas": make_staff("prov", office="36"),
            "other": make_staff("serang", "admin", office="36.73")}


@pytest.fixture
def hub_staff_as(hub_app, hub_accounts):
    """hub_staff_as('admin'|'petugas'|'other'): a StaffMember signed in at the hub."""

    def sign_in(who):
        member = StaffMember(hub_app.test_client())
        member.login(hub_accounts[who].username, office="36.73" if who == "other" else "36")
        member.token = None  # the sign-in page's token went with the old session
        member.get("/staff/" if who != "other" else "/lapor/kejadian?jenis=tip")  # the hub's 404 pages hold no form
        return member

    return sign_in


def make_hub_office(code, ok_hours_ago=None, attempt_hours_ago=None, result=None, revoked=False):
    """An office registered at the hub: its last completed sync `ok_hours_ago` hours ago (None: never),
    its last attempt `attempt_hours_ago` hours ago (default: the completed one) with `result`."""
    from kiosk.models import utcnow
    from kiosk.sync import signing
    from kiosk.sync.models import HubOffice

    now = utcnow()
    attempt = ok_hours_ago if attempt_hours_ago is None else attempt_hours_ago
    return HubOffice.create(
        code=code, public_key=signing.public_key(code), revoked_at=now if revoked else None,
        last_ok_at=None if ok_hours_ago is None else now - dt.timedelta(hours=ok_hours_ago),
        last_sync_at=None if attempt is None else now - dt.timedelta(hours=attempt),
        last_sync_result=result or ("ok" if attempt is not None and attempt == ok_hours_ago else ""))
