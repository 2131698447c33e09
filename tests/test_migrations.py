"""Schema changes never lose data: a database made by every older schema upgrades with its rows."""
import contextlib
import sqlite3

import peewee
import pytest

from kiosk import create_app
from kiosk.db import MIGRATIONS_DIR, db, open_database, schema_runner
from kiosk.elections import MODELS as ELECTION_MODELS
from kiosk.health import MODELS as HEALTH_MODELS
from kiosk.keyring import MODELS as KEY_MODELS
from kiosk.lapor.phone import MODELS as PHONE_MODELS
from kiosk.models import MODELS as CORE_MODELS
from kiosk.notify.models import MODELS as NOTIFY_MODELS
from kiosk.office import MODELS as OFFICE_MODELS
from kiosk.papers import MODELS as PAPER_MODELS
from kiosk.search import MODELS as SEARCH_MODELS
from kiosk.sms.models import MODELS as SMS_MODELS
from kiosk.staff.models import MODELS as STAFF_MODELS
from kiosk.staff.notes import MODELS as NOTE_MODELS
from kiosk.tallies import MODELS as TALLY_MODELS
from kiosk.sync.models import MODELS as SYNC_MODELS
from kiosk.transfers import MODELS as TRANSFER_MODELS

# Every feature's models: add a feature's MODELS list here when it brings tables of its own.
ALL_MODELS = [*CORE_MODELS, *STAFF_MODELS, *SYNC_MODELS, *HEALTH_MODELS, *KEY_MODELS, *OFFICE_MODELS,
              *SEARCH_MODELS, *NOTIFY_MODELS, *ELECTION_MODELS, *PAPER_MODELS, *SMS_MODELS, *NOTE_MODELS,
              *TALLY_MODELS, *TRANSFER_MODELS, *PHONE_MODELS]
MIGRATIONS = sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py"))
REPORT_AT_V1 = {
    "id": "6f1c8a3e6a8e4f3b9a573e1f0d1c2b4a", "change_seq": 3, "office_code": "36.73",
    "receipt_no": "0001/PL/36.73/XI/2026", "tracking_code": "1234567890123452", "kind": "formal", "channel": "web",
    "submitted_at": "2026-11-20 03:00:00", "status": "diterima", "late": 0, "kajian_awal_due": "2026-11-24",
    "declared_true": 1, "category": "politik_uang", "occurred_on": "2026-11-18", "learned_on": "2026-11-19",
    "regency_code": "36.73", "district_code": "36.73.01", "description": "Pembagian amplop di TPS 5.",
    "updated_at": "2026-11-20 03:00:00", "reporter_name": "Siti",
    **{column: "" for column in (
        "village_code place_detail terlapor_name terlapor_role terlapor_address terlapor_phone reporter_type "
        "reporter_nik reporter_birth_place reporter_sex reporter_occupation reporter_nationality reporter_address "
        "reporter_phone reporter_email physical_evidence legal_category").split()},
}

# NOT NULL columns added by later migrations (no SQL default), as a row at that schema would hold them.
ADDED_LATER = {"language": "id", "kajian_by": "", "forwarded_to": "", "outcome": "", "reporter_nik_masked": "",
               "identity_complete": 0, "personal": "", "key_office": "", "key_hub": "", "indexed": 0,
               "needs_review": 0, "election_id": "", "assigned_to": "", "transfer_office": "", "transferred_from": "",
               "notices": ""}


@pytest.mark.parametrize("older", MIGRATIONS[:-1])
def test_upgrade_from_an_older_schema_keeps_every_row(tmp_path, older):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    path = data_dir / "kiosk.sqlite3"
    db.initialize(open_database(str(path)))
    with db.connection_context():
        schema_runner().up(target=older)
    with sqlite3.connect(path) as conn:
        # A column added NOT NULL by a later migration has no SQL default: give it what that schema had.
        present = {row[1] for row in conn.execute("PRAGMA table_info(report)")}
        row = dict(REPORT_AT_V1, **{k: v for k, v in ADDED_LATER.items() if k in present})
        row = {k: v for k, v in row.items() if k in present}  # from schema 9 on, no readable personal columns
        columns = ", ".join(row)
        conn.execute(f"INSERT INTO report ({columns}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
        conn.execute("INSERT INTO status_event (id, change_seq, report_id, status, at, actor, public_note, "
                     "internal_note, detail) VALUES ('0b5e2a9c7d1f4e3a8b6c5d4e3f2a1b0c', 4, ?, 'diterima', '2026-11-20 03:00:00', 'system', '', '', "
                     "'{}')", (REPORT_AT_V1["id"],))

    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "KDF_MEMORY_MB": 8})  # migrates on start
    from kiosk.models import Report

    with db.connection_context():
        report = Report.get_by_id(REPORT_AT_V1["id"])
        assert report.receipt_no == "0001/PL/36.73/XI/2026"
        assert [e.status for e in report.events] == ["diterima"]
        assert report.language == "id"
        assert report.kajian_checks is None and report.forwarded_to == "" and report.registered_on is None
    health = app.test_client().get("/healthz").get_json()
    assert health["schema_version"] == int(MIGRATIONS[-1].split("_")[0]) and health["reports"] == 1
    if "reporter_name" in present:  # before sealing: the readable name waits for `kiosk init-keys`
        assert_sealed_by_init_keys(app, path)


def assert_sealed_by_init_keys(app, path):
    """`kiosk init-keys` seals the report it finds readable: the name opens with the new admin's key and is
    nowhere in the database file any more."""
    from kiosk import sealing
    from kiosk.models import Report
    from kiosk.staff.models import Staff

    result = app.test_cli_runner().invoke(args=["init-keys", "--admin", "kepala", "--password-stdin"],
                                          input="a long passphrase here\n")
    assert result.exit_code == 0, result.output
    assert "sealed 1 reports" in result.output
    with db.connection_context():
        admin = Staff.find("36.73", "kepala")
        office_key = admin.office_key(admin.open_key("a long passphrase here"))
        report = Report.get_by_id(REPORT_AT_V1["id"])
        opened = sealing.open_fields(sealing.report_key(report, office_key), report.personal, sealing.REPORT_FIELDS)
        assert opened.reporter_name == "Siti"
        assert not diff_models_of()
    assert b"Siti" not in path.read_bytes()


def diff_models_of():
    """What the database lacks or has beyond the models (empty: they match)."""
    from playhouse.schema_diff import diff_models

    return diff_models(db.obj, ALL_MODELS)


def schema(path):
    """The tables, indexes and triggers of a database file, as SQLite stores their definitions."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def test_fresh_database_matches_the_models(tmp_path):
    """A first start on an empty data folder applies every migration, in order, and they build exactly
    the tables and columns the models declare. (Built here by the factory itself: the other tests
    start from a copy of the migrated template.)"""
    from playhouse.schema_diff import diff_models

    create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data")})
    with db.connection_context():
        assert sorted(schema_runner().applied()) == MIGRATIONS
        assert not diff_models(db.obj, ALL_MODELS)


def test_the_template_the_tests_copy_is_what_a_first_start_makes(tmp_path, migrated_template):
    create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data")})
    assert schema(migrated_template) == schema(tmp_path / "data" / "kiosk.sqlite3")


def test_database_runs_in_wal_with_foreign_keys(app):
    with db.connection_context():
        assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(peewee.IntegrityError):
            db.execute_sql("INSERT INTO witness (id, change_seq, report_id, position, personal) "
                           "VALUES ('w', 1, 'no-such-report', 0, '')")
