"""Disaster recovery with real processes: an office and the hub each `kiosk serve` on 127.0.0.1. The office
backs up, takes more reports (a witness and a photo each, some reviewed), syncs them, and loses its disk;
`kiosk restore` of the backup (or, with nothing left, `kiosk recover-from-hub`) brings back from the hub every
row and file it had sent. Both sides are compared by reading their SQLite files directly."""
import re
import shutil
from pathlib import Path

import pytest

from tests.support import html
from tests.support.servers import (LiveClient, Server, evidence_hashes, kiosk, office_script, query, register,
                                   replicated, stored_files)

pytestmark = pytest.mark.process


@pytest.fixture
def hub(tmp_path, hub_database):
    server = Server(tmp_path / "hub", role="hub", office_code="36", **hub_database.settings())
    server.token = register(server.env, "36.73")
    server.start()
    yield server
    server.stop()


def office_at(folder, hub):
    return Server(folder, office_code="36.73", hub_url=hub.url, hub_token=hub.token)


def data(server):
    return Path(server.env["KIOSK_DATA_DIR"])


def reports(server):
    """{receipt number: tracking code} of the server's reports."""
    return dict(query(data(server), "SELECT receipt_no, tracking_code FROM report"))


def assert_same_as_the_hub(office, hub):
    """The office holds every row the hub holds of it, at the same versions, and every evidence file, whole."""
    mine, theirs = replicated(data(office)), replicated(data(hub))
    for table in mine:
        assert mine[table] == theirs[table], table
    files = stored_files(data(office))
    assert evidence_hashes(data(hub)) and all(files.get(sha) == sha for sha in evidence_hashes(data(hub)))


def after_the_backup(office, hub):
    """Reports before and after a backup, all synced; (the backup's path, the receipts taken after it)."""
    office_script(office.env, "file", data(office), 4, 2)
    assert kiosk(office.env, "sync").returncode == 0
    assert kiosk(office.env, "backup").returncode == 0
    [backup] = sorted((data(office) / "backups").glob("kiosk-*.sqlite3"))
    before = reports(office)
    office_script(office.env, "file", data(office), 3, 1)  # a photo each, a witness on the first
    office_script(office.env, "review", data(office), 6)  # four reviewed again, two for the first time
    synced = kiosk(office.env, "sync")
    assert synced.returncode == 0, synced.stderr
    return backup, {receipt: code for receipt, code in reports(office).items() if receipt not in before}


def then_the_office_works_on(office, hub, lost):
    """The tracking codes of the reports it had lost answer at the office; its next report takes a new number,
    and its next sync goes through."""
    office.start()
    try:
        client = LiveClient(office.url)
        for receipt, code in lost.items():
            page = client.get(f"/status?kode={code}")
            assert html.text(page, "#status-result-title").startswith(f"Laporan {receipt}: ")
    finally:
        office.stop()
    held = set(query(data(hub), "SELECT receipt_no FROM report"))
    office_script(office.env, "file", data(office), 1)
    [(new,)] = set(query(data(office), "SELECT receipt_no FROM report")) - held
    highest = max(int(receipt.split("/")[0]) for (receipt,) in held)
    assert int(new.split("/")[0]) == highest + 1
    synced = kiosk(office.env, "sync")
    assert synced.returncode == 0, synced.stderr
    assert_same_as_the_hub(office, hub)


def test_an_office_restored_from_its_backup_gets_back_from_the_hub_what_it_sent_after_it(tmp_path, hub):
    office = office_at(tmp_path / "office", hub)
    backup, lost = after_the_backup(office, hub)
    keep = tmp_path / "backups"
    shutil.copytree(data(office) / "backups", keep)
    shutil.rmtree(data(office))  # the disk dies; a new one gets the data folder's backups back
    data(office).mkdir()
    shutil.copytree(keep, data(office) / "backups")

    restored = kiosk(office.env, "restore", str(data(office) / "backups" / backup.name))
    assert restored.returncode == 0, restored.stderr
    assert re.search(r"recovered from the hub: \d+ rows new or newer here", restored.stdout)
    assert "3 repaired from the hub" in restored.stdout  # the photos taken after the backup
    assert_same_as_the_hub(office, hub)
    events = query(data(hub), "SELECT count(*), count(DISTINCT id) FROM status_event")
    assert events[0][0] == events[0][1] and query(data(office), "SELECT count(*) FROM status_event") == [events[0][:1]]
    then_the_office_works_on(office, hub, lost)


@pytest.mark.hubs
def test_an_office_that_lost_everything_recovers_from_the_hub(tmp_path, hub):
    office = office_at(tmp_path / "office", hub)
    _backup, lost = after_the_backup(office, hub)
    everything = reports(office)
    fresh = office_at(tmp_path / "new-install", hub)  # a new install with the office's token (and its keys)
    recovered = kiosk(fresh.env, "recover-from-hub")
    assert recovered.returncode == 0, recovered.stderr
    assert "5 repaired from the hub" in recovered.stdout  # every photo: there is no backup store
    assert reports(fresh) == everything
    assert_same_as_the_hub(fresh, hub)
    again = kiosk(fresh.env, "recover-from-hub")  # idempotent: a second run finds nothing new
    assert again.returncode == 0 and "recovered from the hub: 0 rows" in again.stdout
    then_the_office_works_on(fresh, hub, lost)


def test_an_unfinished_recovery_is_said_on_healthz_and_the_staff_pages(app, client, accounts):
    from kiosk.db import db, writing
    from kiosk.sync.models import SyncState
    from tests.support.staff import StaffMember

    member = StaffMember(client)
    assert "has not finished" not in member.login("admin").get_data(as_text=True)
    assert client.get("/healthz").get_json()["recovering"] is False
    with db.connection_context(), writing():
        SyncState.write("recovering", {"after": 12})  # as a recovery cut short leaves it
    assert client.get("/healthz").get_json()["recovering"] is True
    assert "A recovery from the hub was started and has not finished" in member.get("/staff/").get_data(as_text=True)
