"""Fixtures (the helpers they use live in tests/support): a real SQLite file per test through the
factory, copied from one migrated template; a citizen's and staff's sessions over the test client; a
live waitress server and Chromium for browser tests; the provincial hub. And the two hooks that keep
the `browser` and `process` markers true."""
import os

import pytest
from hypothesis import settings

from kiosk import create_app
from tests.support import database, keys, postgres, servers
from tests.support.citizen import Citizen
from tests.support.servers import serving
from tests.support.staff import StaffMember, make_staff
from tests.support.templates import share_compiled_templates

# ---- The markers (pyproject.toml): `make test-fast` leaves out `browser` and `process` ----

def pytest_collection_modifyitems(items):
    """A test that drives Chromium must say so: `make test-fast` runs what is not marked `browser`."""
    unmarked = [item.nodeid for item in items
                if "chromium" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("browser")]
    if unmarked:
        raise pytest.UsageError(f"these tests use Chromium but are not marked browser: {unmarked}")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures: whether it may start processes (tests.support.servers asks)."""
    servers.MAY_START_PROCESSES = item.get_closest_marker("process") is not None


# Property-based tests: a few dozen examples per form on every run (the whole suite stays a few
# minutes on a 2-core machine); HYPOTHESIS_PROFILE=thorough for a long hunt.
settings.register_profile("kiosk", max_examples=25, deadline=None)
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "kiosk"))


@pytest.fixture(scope="session")
def migrated_template():
    """A database with every migration applied and the offices' test keys, made once per test process
    (per xdist worker; the servers a test starts copy the same one)."""
    return database.template()


@pytest.fixture
def data_folder(tmp_path, migrated_template):
    """data_folder(name): a new folder tmp_path/name holding a copy of the migrated template, as a DATA_DIR."""
    return lambda name="data": str(database.data_folder(migrated_template, tmp_path / name))


@pytest.fixture
def make_app(data_folder):
    """make_app(folder, **settings): the app (TESTING) over a new data folder tmp_path/folder that holds
    the migrated template, with `settings` (the config's keys) on top, and the templates its test
    process has compiled already."""
    def make(folder="data", **config):
        # Passwords become keys with 8 MB of Argon2id, not the 128 MB of an office: hundreds of sign-ins.
        config = {"TESTING": True, "DATA_DIR": data_folder(folder), "KDF_MEMORY_MB": 8, "HUB_KEY": keys.HUB_KEY,
                  **config}
        return share_compiled_templates(create_app(config))

    return make


@pytest.fixture
def app(make_app):
    """The app with its own data folder (database, evidence, secret key) under tmp_path."""
    # Tests file reports faster than any person: the minimum time is tested on its own.
    return make_app("data", MIN_FORM_SECONDS=0)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def citizen(client):
    return Citizen(client)


@pytest.fixture
def live_server(app):
    """The app served by a real waitress server on 127.0.0.1 (in a thread); yields its base URL."""
    with serving(app) as url:
        yield url


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, driven by Playwright (which cannot download browsers here): one per test
    process, so one per xdist worker."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser import ARGS, CHROMIUM

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server, request):
    """A fresh browser profile (context) on the live server; `locale` from the test's parameter."""
    from tests.support.browser import WATCH_CSP

    locale = getattr(request, "param", "id-ID")
    context = chromium.new_context(base_url=live_server, locale=locale, viewport={"width": 1024, "height": 900})
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


# ---- The staff workspace: accounts and signed-in members of staff (tests/support/staff.py) ----

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


# ---- The provincial hub (KIOSK_ROLE=hub): accounts of office 36, and the offices' replicated rows ----

def pytest_generate_tests(metafunc):
    """A test of the hub (one using `hub_app`, or marked `hubs`) runs twice: on a SQLite hub and on a
    PostgreSQL one (tests/support/postgres.py), unless marked `sqlite_hub`. Other tests reaching `hub_database`
    get SQLite."""
    marked = metafunc.definition.get_closest_marker
    wanted = ("hub_app" in metafunc.fixturenames or marked("hubs")) and not marked("sqlite_hub")
    if wanted and "hub_database" in metafunc.fixturenames:
        metafunc.parametrize("hub_database", postgres.KINDS, indirect=True, scope="session")


@pytest.fixture(scope="session")
def postgres_cluster():
    """This test process's PostgreSQL cluster, with the migrated template (started on first use)."""
    cluster = postgres.Cluster().start()
    try:
        yield cluster.build_template()
    finally:
        cluster.stop()


class HubDatabase:
    """The kind of database a hub runs on; `settings()` the KIOSK_* settings (lower case, as
    tests.support.servers takes them) of a new one: none for SQLite (the data folder's file)."""

    def __init__(self, kind, cluster=None):
        self.kind, self.cluster = kind, cluster

    def settings(self):
        return {"database_url": self.cluster.new_database()} if self.cluster else {}


@pytest.fixture(scope="session")
def hub_database(request):
    """The hub's kind of database: 'sqlite', or 'postgresql' for the tests pytest_generate_tests doubles."""
    kind = getattr(request, "param", "sqlite")
    return HubDatabase(kind, request.getfixturevalue("postgres_cluster") if kind == "postgresql" else None)


@pytest.fixture
def hub_app(make_app, hub_database):
    """The app as the provincial hub, with its own data folder (and, on PostgreSQL, its own database). Not
    with `app` in one test: the database handle is one per process."""
    settings = {key.upper(): value for key, value in hub_database.settings().items()}
    from kiosk.db import on_sqlite

    app = make_app("hub", ROLE="hub", OFFICE_CODE="36", **settings)
    assert on_sqlite() == (hub_database.kind == "sqlite"), "the hub is not on the database the test asked for"
    yield app
    postgres.closing_pool()


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
