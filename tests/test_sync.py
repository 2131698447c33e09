"""Replication between two real servers: an office and the hub, each `kiosk serve` in its own process
on 127.0.0.1, synced by running `kiosk sync` as the operator's timer would. The two sides are compared
by reading both SQLite files directly: the (uuid, change number) pairs of every replicated table and
the evidence files by hash."""
from pathlib import Path

import pytest

from tests.support.citizen import Citizen, submit, walk_to_review
from tests.support.servers import (
    DyingHub,
    LiveClient,
    Server,
    evidence_hashes,
    kiosk,
    messages,
    office_script,
    query,
    register,
    replicated,
    stored_files,
)

pytestmark = pytest.mark.process  # two `kiosk serve` processes and the `kiosk` CLI


@pytest.fixture
def hub(tmp_path, hub_database):
    server = Server(tmp_path / "hub", role="hub", office_code="36", **hub_database.settings())
    server.token = register(server.env, "36.73")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def office(tmp_path, hub):
    server = Server(tmp_path / "office", office_code="36.73", hub_url=hub.url, hub_token=hub.token,
                    min_form_seconds=0)  # one report is filed over HTTP as fast as a script can
    server.start()
    yield server
    server.stop()


def data(server):
    return server.env["KIOSK_DATA_DIR"]


def sync(office, *args):
    return kiosk(office.env, "sync", *args)


def assert_identical(office, hub):
    """Both sides hold the same rows at the same versions, and the hub every evidence file, intact."""
    mine, theirs = replicated(data(office)), replicated(data(hub))
    for table in mine:
        assert mine[table] == theirs[table], table
    files = stored_files(data(hub))
    for sha in evidence_hashes(data(office)):
        assert files.get(sha) == sha


@pytest.mark.hubs  # on a SQLite and a PostgreSQL hub
def test_first_sync_sends_everything_and_a_second_sends_nothing(office, hub):
    office_script(office.env, "file", data(office), 40, 4)  # 40 reports, a photo on every 4th
    person = Citizen(LiveClient(office.url))  # and one filed over HTTP at the running office server
    walk_to_review(person, witnesses=[{"witness_name": "Budi Santoso", "witness_phone": "0813 1111 2222"}])
    assert "0041/PL/36.73" in submit(person)[0].get_data(as_text=True)

    first = sync(office, "--batch-size", "25")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("sync ok: ") and "10 evidence files" in first.stdout
    assert len(query(data(hub), "SELECT id FROM report")) == 41
    assert_identical(office, hub)
    assert query(data(hub), "SELECT last_sync_result, last_seq FROM hub_office") == \
        [("ok", max(seq for rows in replicated(data(office)).values() for _, seq in rows))]

    before, requests = replicated(data(hub)), query(data(hub), "SELECT count(*) FROM seen_nonce")[0][0]
    again = sync(office)
    assert again.returncode == 0 and "nothing new" in again.stdout and "; 1 request," in again.stdout
    assert query(data(hub), "SELECT count(*) FROM seen_nonce")[0][0] == requests + 1  # one request, seen by the hub
    assert replicated(data(hub)) == before
    assert office.healthz()["last_sync"]["result"] == "ok"


def test_a_status_change_at_the_office_reaches_the_hub(office, hub):
    office_script(office.env, "file", data(office), 6)
    assert sync(office).returncode == 0
    office_script(office.env, "review", data(office), 2)
    result = sync(office)
    assert result.returncode == 0 and "4 rows" in result.stdout  # 2 reports and their 2 new events
    assert sorted(status for (status,) in query(data(hub), "SELECT status FROM report")) == \
        ["diterima"] * 4 + ["kajian_awal"] * 2
    assert len(query(data(hub), "SELECT id FROM status_event WHERE actor = 'petugas1'")) == 2
    assert_identical(office, hub)


@pytest.mark.hubs  # on a SQLite and a PostgreSQL hub
def test_hub_stopped_in_the_middle_then_rerun_ends_identical(office, hub):
    office_script(office.env, "file", data(office), 30, 3)
    total = sum(len(rows) for rows in replicated(data(office)).values())
    hub.stop()
    dying = DyingHub(data(hub), 2, role="hub", office_code="36")
    dying.port, dying.url, dying.env = hub.port, hub.url, hub.env  # the same hub, at the same address
    dying.start()  # commits its 2nd batch, then dies before answering

    cut = sync(office, "--batch-size", "10")
    assert cut.returncode != 0
    assert len(messages(cut.stderr)) == 1 and "Traceback" not in cut.stderr
    assert messages(cut.stderr)[0].startswith("Error: sync failed: hub unreachable")
    assert dying.wait_exit() == 75
    held = sum(len(rows) for rows in replicated(data(hub)).values())
    assert 10 < held < total  # two batches reached the hub...
    watermark = int(query(data(office), "SELECT value FROM sync_state WHERE key = 'watermark'")[0][0])
    assert 0 < watermark < total  # ...but only the first was acknowledged to the office

    hub.start()
    rerun = sync(office, "--batch-size", "10")
    assert rerun.returncode == 0, rerun.stderr
    assert_identical(office, hub)
    assert sum(len(rows) for rows in replicated(data(hub)).values()) == total  # nothing doubled
    assert query(data(hub), "SELECT last_sync_result FROM hub_office") == [("ok",)]


def test_hub_unreachable_fails_in_one_line_and_healthz_says_so(tmp_path):
    from tests.support.servers import free_port

    office = Server(tmp_path / "office", office_code="36.73", hub_url=f"http://127.0.0.1:{free_port()}",
                    hub_token="x" * 43, sync_retries=1, sync_backoff=0.1)
    result = sync(office)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert messages(result.stderr) == [f"Error: sync failed: hub unreachable at {office.env['KIOSK_HUB_URL']}"
                                       "/api/sync/: [Errno 111] Connection refused (2 attempts)"]
    office.start()
    try:
        assert office.healthz()["last_sync"]["result"].startswith("error: hub unreachable")
    finally:
        office.stop()


def test_revoked_office_is_refused_until_given_a_new_token(office, hub):
    office_script(office.env, "file", data(office), 2)
    revoke = kiosk(hub.env, "hub-revoke-office", "--code", "36.73")
    assert revoke.returncode == 0
    refused = sync(office)
    assert refused.returncode == 1
    assert messages(refused.stderr) == ["Error: sync failed: hub refused batch (403): office 36.73 is revoked"]
    assert query(data(hub), "SELECT count(*) FROM report") == [(0,)]

    office.env["KIOSK_HUB_TOKEN"] = register(hub.env, "36.73", "--new-token")
    assert sync(office).returncode == 0
    assert_identical(office, hub)


def test_a_hub_restored_from_an_older_backup_gets_the_rows_it_lost(office, hub):
    office_script(office.env, "file", data(office), 5)
    assert sync(office).returncode == 0
    backup = kiosk(hub.env, "backup")  # the hub backs itself up while it runs
    assert backup.returncode == 0, backup.stderr
    office_script(office.env, "file", data(office), 4)
    assert sync(office).returncode == 0

    hub.stop()
    path = backup.stdout.split("backup ok: ")[1].split(" (")[0]
    restored = kiosk(hub.env, "restore", path)
    assert restored.returncode == 0, restored.stderr
    hub.start()
    assert query(data(hub), "SELECT count(*) FROM report") == [(5,)]  # the last 4 are gone at the hub

    result = sync(office)  # the hub says where it really is; the office sends again from there
    assert result.returncode == 0, result.stderr
    assert "the hub had lost rows: sent again from" in result.stdout
    assert query(data(hub), "SELECT count(*) FROM report") == [(9,)]
    assert_identical(office, hub)


def test_evidence_the_hub_lost_is_sent_again_and_a_file_lost_at_the_office_is_reported_not_waited_for(office, hub):
    office_script(office.env, "file", data(office), 6, 2)
    assert sync(office).returncode == 0
    hub_files = sorted(Path(data(hub), "evidence").glob("[0-9a-f]*"))
    assert len(hub_files) == 3
    for path in hub_files[:2]:
        path.unlink()  # e.g. a disk problem at the hub, or uploads cut short

    result = sync(office)  # nothing new to send, but the hub says what it lacks
    assert result.returncode == 0 and "2 evidence files" in result.stdout
    assert_identical(office, hub)

    hub_files[0].unlink()
    Path(data(office), "evidence", hub_files[0].name).unlink()  # and the office lost it too
    result = sync(office)  # completes: waiting for a file nobody can send would leave the office stale for ever
    assert result.returncode == 0, result.stderr
    assert f"1 evidence file damaged or lost at this office, not sent (the hub is told; `kiosk verify` repairs " \
           f"from a good copy): {hub_files[0].name}" in result.stdout
    assert query(data(hub), "SELECT last_sync_result, damaged_files FROM hub_office") == [
        ("ok", f'["{hub_files[0].name}"]')]
    assert query(data(office), "SELECT blob, found_by, missing FROM damaged_file") == [(hub_files[0].name, "sync", 1)]
