"""KIOSK_DATABASE_URL: the data folder's SQLite file by default, a sqlite:/// URL elsewhere, or PostgreSQL for
the hub only, set up by `kiosk init-db` on an empty database; an office on PostgreSQL is refused in one clear
line, and a hub on PostgreSQL leaves its backups to pg_dump. (The hub's own tests run on both kinds:
tests/conftest.py's hub_database.)"""
import re
import sqlite3
from pathlib import Path

import pytest

from kiosk import create_app, settings
from kiosk.db import db
from kiosk.postgres import SettingsError
from tests.support.servers import environment, kiosk
from tests.test_migrations import MIGRATIONS


def test_by_default_the_database_is_the_data_folders_sqlite_file(tmp_path):
    config = settings.finish({**settings.from_environ({}), "DATA_DIR": str(tmp_path / "data")})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path}/data/kiosk.sqlite3"
    assert config["DATABASE"] == f"{tmp_path}/data/kiosk.sqlite3"


def test_a_sqlite_url_puts_the_file_where_it_says(tmp_path, migrated_template):
    elsewhere = tmp_path / "disk" / "hub.sqlite3"
    elsewhere.parent.mkdir()
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": f"sqlite:///{elsewhere}"})
    assert app.config["DATABASE"] == str(elsewhere)
    assert app.test_client().get("/healthz").get_json()["schema_version"] >= 19
    assert not (tmp_path / "data" / "kiosk.sqlite3").exists()
    with sqlite3.connect(elsewhere) as conn:
        assert conn.execute("SELECT count(*) FROM schema_migration").fetchone()[0] >= 19


def test_an_office_on_postgresql_is_refused_with_the_reason(tmp_path):
    with pytest.raises(SettingsError, match="only the hub .* runs on PostgreSQL"):
        create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"),
                    "DATABASE_URL": "postgresql://kiosk@127.0.0.1/kiosk"})


def test_a_url_of_another_database_is_refused_without_its_password(tmp_path):
    with pytest.raises(SettingsError, match="sqlite:/// or postgresql://") as refused:
        create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"), "ROLE": "hub",
                    "DATABASE_URL": "mysql://kiosk:s3cret@127.0.0.1/kiosk"})
    assert "s3cret" not in str(refused.value)


@pytest.mark.process
def test_kiosk_init_db_sets_up_an_empty_postgresql_database_for_the_hub(tmp_path, postgres_cluster):
    postgres_cluster.admin("CREATE DATABASE fresh_hub")
    url = postgres_cluster.url("fresh_hub").replace("postgres@", "postgres:pw@")  # trust: the password is unused
    env = environment(tmp_path / "hub", role="hub", office_code="36", database_url=url)
    made = kiosk(env, "init-db")
    assert made.returncode == 0, made.stderr
    assert re.search(r"\(36, hub\): schema version (\d+)", made.stdout).group(1) == str(len(MIGRATIONS))
    assert url.replace(":pw@", ":***@") in made.stdout and ":pw@" not in made.stdout
    again = kiosk(env, "init-db")  # safe to run again
    assert again.returncode == 0 and again.stdout == made.stdout


@pytest.mark.process
def test_an_office_started_on_postgresql_says_why_in_one_line(tmp_path):
    env = environment(tmp_path / "office", office_code="36.73", database_url="postgresql://kiosk@127.0.0.1/kiosk")
    refused = kiosk(env, "init-db")
    assert refused.returncode != 0
    assert refused.stderr.startswith("Error: KIOSK_DATABASE_URL names a PostgreSQL database, but KIOSK_ROLE is "
                                     "'office': only the hub (KIOSK_ROLE=hub) runs on PostgreSQL.")
    assert "Traceback" not in refused.stderr and len(refused.stderr.splitlines()) == 1


def test_a_hub_on_postgresql_leaves_its_backup_to_pg_dump(hub_app, hub_database):
    runner = hub_app.test_cli_runner()
    with hub_app.app_context():  # as the `kiosk` command provides
        made, nightly = runner.invoke(args=["backup"]), runner.invoke(args=["nightly"])
    backups = list((Path(hub_app.config["DATA_DIR"]) / "backups").glob("kiosk-*.sqlite3"))
    assert nightly.exit_code == 0, nightly.output
    if hub_database.kind == "sqlite":
        assert made.exit_code == 0 and "backup ok" in made.output and len(backups) == 2
        return
    assert made.exit_code == 1 and "back it up with pg_dump" in made.output and not backups
    assert "backup skipped (the database is PostgreSQL's: pg_dump)" in nightly.output


def test_every_migration_runs_on_postgresql_and_builds_exactly_the_models(postgres_cluster):
    from playhouse.schema_diff import diff_models

    from kiosk.db import migrate, open_database, schema_runner
    from tests.test_migrations import ALL_MODELS

    postgres_cluster.admin("CREATE DATABASE empty_hub")
    handle = open_database(postgres_cluster.url("empty_hub"))
    db.initialize(handle)
    try:
        assert migrate() == MIGRATIONS
        with db.connection_context():
            assert sorted(schema_runner().applied()) == MIGRATIONS
            assert not any(diff_models(db.obj, ALL_MODELS))
            assert migrate() == []
    finally:
        handle.close_all()
