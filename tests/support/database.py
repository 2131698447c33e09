"""One migrated database for the whole test run (per xdist worker), copied into each test's data
folder before the factory opens it: `create_app` then finds every migration applied, instead of
running them all again for each of several hundred tests. tests/test_migrations.py builds and
upgrades databases from the migrations itself."""
import shutil
from pathlib import Path

FILE = "kiosk.sqlite3"  # the name kiosk.config.finish gives the database inside DATA_DIR


def build_template(folder):
    """Apply every migration to a new database in `folder`, as the factory would, and close it so
    that SQLite folds the write-ahead log back into the file; returns the file's path."""
    from kiosk.db import db, migrate, open_database

    path = Path(folder) / FILE
    handle = open_database(str(path))
    db.initialize(handle)
    try:
        applied = migrate()
    finally:
        handle.close_all()
    assert applied, "the template database got no migrations"
    # WAL mode stays on in the file; with the log gone, the one file is the whole database.
    assert not Path(f"{path}-wal").exists(), "the template's write-ahead log was not folded in"
    return path


def data_folder(template, folder):
    """A new folder `folder` holding a copy of the template database, ready as a DATA_DIR."""
    folder = Path(folder)
    folder.mkdir(parents=True)  # never over a database a test is using
    shutil.copyfile(template, folder / FILE)
    return folder
