"""One migrated database for the whole test run (per xdist worker), copied into each test's data
folder before the factory opens it: `create_app` then finds every migration applied, instead of
running them all again for each of several hundred tests. tests/test_migrations.py builds and
upgrades databases from the migrations itself."""
import shutil
from pathlib import Path

FILE = "kiosk.sqlite3"  # the name kiosk.config.finish gives the database inside DATA_DIR


def fill_template(url):
    """Apply every migration to the new database at `url`, as the factory would, add the offices' test keys
    and the hub's profile, and close every connection (SQLite then folds its write-ahead log back into the
    file; PostgreSQL copies a template only when no one is connected to it)."""
    from kiosk import counting, planner
    from kiosk.db import db, migrate, open_database
    from kiosk.keyring import Keyring
    from kiosk.office import OfficeProfile

    from .keys import keyring_rows

    handle = open_database(url)
    db.initialize(handle)
    try:
        applied = migrate()
        counting.keep(db)  # as the factory does on every start
        planner.refresh(db)
        with db.connection_context():
            Keyring.insert_many(keyring_rows()).execute()  # the keys `kiosk init-keys` would make
            # The hub requires a second factor by default; its tests sign in with a password, as if an
            # admin had made it optional (tests/test_two_factor.py takes the row away for the default).
            OfficeProfile.create(office_code="36", require_totp=False)
    finally:
        handle.close_all()
    assert applied, "the template database got no migrations"


def build_template(folder):
    """The SQLite template in `folder` (see fill_template); returns the file's path."""
    path = Path(folder) / FILE
    fill_template(str(path))
    # WAL mode stays on in the file; with the log gone, the one file is the whole database.
    assert not Path(f"{path}-wal").exists(), "the template's write-ahead log was not folded in"
    return path


_built = {}


def template():
    """The template of this process, built on first use (in a temporary folder of its own)."""
    if "path" not in _built:
        import tempfile

        _built["path"] = build_template(tempfile.mkdtemp(prefix="kiosk-template-"))
    return _built["path"]


def holds_one(folder):
    """Whether the data folder already holds a database."""
    return (Path(folder) / FILE).exists()


def data_folder(template, folder):
    """A new folder `folder` holding a copy of the template database, ready as a DATA_DIR."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    assert not holds_one(folder), "never over a database a test is using"
    shutil.copyfile(template, folder / FILE)
    return folder


def scratch_folder(prefix):
    """A new temporary DATA_DIR holding a copy of the template (with the offices' test keys), for the
    benchmarks: a report is sealed to the office's key as it is sent."""
    import tempfile

    return str(data_folder(template(), Path(tempfile.mkdtemp(prefix=prefix)) / "data"))
