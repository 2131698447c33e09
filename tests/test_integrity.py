"""Evidence that stays true, with real processes: an office and a hub each `kiosk serve` on 127.0.0.1, the
operator's `kiosk backup`, `kiosk sync` and `kiosk verify`, staff signed in over HTTP. A file is damaged on
the disk the way a failing disk does it (bytes changed, size and modification time left as they were)."""
import hashlib
import html
import os
import pty
import re
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kiosk.sync.signing import canonical_json, sign
from tests.support import keys
from tests.support.servers import BIN, LiveClient, Server, kiosk, office_script, query, register
from tests.support.staff import STAFF_PASSWORD, StaffMember

pytestmark = pytest.mark.process  # two `kiosk serve` processes and the `kiosk` CLI


def admin(server, username="admin"):
    """An admin of the server's office holding its key (made with the recovery key, as an operator would)."""
    made = kiosk(server.env, "recover", "--username", username, "--stdin", input=f"{keys.RECOVERY}\n{STAFF_PASSWORD}\n")
    assert made.returncode == 0, made.stderr


@pytest.fixture
def hub(tmp_path):
    server = Server(tmp_path / "hub", role="hub", office_code="36")
    server.token = register(server.env, "36.73")
    admin(server, "prov")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def office(tmp_path, hub):
    server = Server(tmp_path / "office", office_code="36.73", hub_url=hub.url, hub_token=hub.token)
    admin(server)
    yield server
    server.stop()


def data(server):
    return Path(server.env["KIOSK_DATA_DIR"])


def sha256(data_bytes):
    return hashlib.sha256(data_bytes).hexdigest()


def damage(path):
    """Change bytes in the middle of the file, as a failing disk does: same size, same modification time."""
    stat = path.stat()
    raw = bytearray(path.read_bytes())
    middle = len(raw) // 2
    raw[middle:middle + 8] = bytes(b ^ 0xFF for b in raw[middle:middle + 8])
    path.write_bytes(bytes(raw))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def text(markup):
    """What a person reads in `markup`: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def blobs(server):
    """{blob: receipt number} of the server's evidence rows."""
    return dict(query(data(server), "SELECT e.blob, r.receipt_no FROM evidence e JOIN report r ON r.id = e.report_id"))


def evidence_links(member, listing="/staff/"):
    """[(download link, SHA-256 on the receipt)] of the first report's files, from the staff pages."""
    page = member.get(listing).get_data(as_text=True)
    report = re.search(r'href="(/staff/laporan/[0-9a-f-]{36})"', page).group(1)
    return re.findall(r'href="(/staff/laporan/[^"]+/bukti/[0-9a-f-]{36})" download>.*?SHA-256 ([0-9a-f]{64})',
                      member.get(report).get_data(as_text=True), re.S)


def audited(server):
    """[(action, found_by or source)] of the evidence entries in the server's audit log, oldest first."""
    rows = query(data(server), "SELECT action, json_extract(detail, '$.found_by'), json_extract(detail, '$.source') "
                 "FROM audit_log WHERE action LIKE 'evidence_%' ORDER BY id")
    return [(action, found or source) for action, found, source in rows]


def test_a_file_damaged_after_backup_and_sync_is_refused_then_repaired_from_the_backup_store_then_the_hub(office, hub):
    office_script(office.env, "file", data(office), 1, 1)  # one report with a photo
    assert kiosk(office.env, "backup").returncode == 0
    assert kiosk(office.env, "sync").returncode == 0
    office.start()
    member = StaffMember(LiveClient(office.url))
    member.login("admin")
    [(link, receipt_sha)] = evidence_links(member)
    assert sha256(member.client.get(link).get_data()) == receipt_sha  # served once: this process checked it
    [blob] = blobs(office)
    stored = data(office) / "evidence" / blob

    damage(stored)
    refused = member.client.get(link)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 410 and "This evidence file is damaged" in page
    assert "have been told" in page and receipt_sha not in page
    health = office.healthz()["damaged_evidence"]
    assert health["count"] == 1 and health["files"][0]["sha256"] == blob
    notice = member.get("/staff/").get_data(as_text=True)
    assert "1 evidence file is damaged or lost and not repaired yet:" in notice
    assert "damaged: it no longer matches its SHA-256" in member.get(link.rsplit("/bukti/", 1)[0]).get_data(as_text=True)

    verified = kiosk(office.env, "verify")
    assert verified.returncode == 0, verified.stderr
    assert "1 repaired from the backup store" in verified.stdout
    assert sha256(member.client.get(link).get_data()) == receipt_sha
    assert office.healthz()["damaged_evidence"]["count"] == 0
    assert "not repaired yet" not in member.get("/staff/").get_data(as_text=True)

    damage(stored)  # again, and this time the backup store has no copy either
    for copy in (data(office) / "backups" / "evidence").iterdir():
        copy.unlink()
    verified = kiosk(office.env, "verify")
    assert verified.returncode == 0 and "1 repaired from the hub" in verified.stdout, verified.stderr
    assert sha256(member.client.get(link).get_data()) == receipt_sha
    assert audited(office) == [("evidence_damaged", "download"), ("evidence_repaired", "backup"),
                               ("evidence_damaged", "verify"), ("evidence_repaired", "hub")]
    assert len(list((data(office) / "damaged").iterdir())) == 2  # the damaged bytes kept aside, not deleted


def test_a_damaged_backup_copy_is_replaced_from_the_evidence_folder_with_progress_on_a_terminal(office, hub):
    office_script(office.env, "file", data(office), 1, 1)
    assert kiosk(office.env, "backup").returncode == 0
    [blob] = blobs(office)
    damage(data(office) / "backups" / "evidence" / blob)
    screen, terminal = pty.openpty()  # stderr on a terminal, as an operator running it by hand has it
    try:
        verified = subprocess.run([BIN / "kiosk", "verify"], env=office.env, stdout=subprocess.PIPE,
                                  stderr=terminal, text=True, timeout=120)
        shown = os.read(screen, 65536).decode()
    finally:
        os.close(screen)
        os.close(terminal)
    assert verified.returncode == 0 and "1 repaired from the evidence folder" in verified.stdout
    assert "\rverify: 2/2 files" in shown  # the evidence folder's file and the backup store's copy
    assert sha256((data(office) / "backups" / "evidence" / blob).read_bytes()) == blob


def test_the_hub_sets_its_damaged_copy_aside_and_the_offices_nightly_job_sends_it_again(office, hub):
    office_script(office.env, "file", data(office), 1, 1)
    assert kiosk(office.env, "sync").returncode == 0
    [blob] = blobs(office)
    damage(data(hub) / "evidence" / blob)

    verified = kiosk(hub.env, "verify")
    assert verified.returncode == 0 and "1 set aside, asked for again at the office's next sync" in verified.stdout
    assert hub.healthz()["damaged_evidence"]["count"] == 1
    nightly = kiosk(office.env, "nightly")
    assert nightly.returncode == 0, nightly.stderr
    assert nightly.stdout.startswith("nightly 36.73: verify ok (1 file checked") and "; sync ok (" in nightly.stdout
    assert "1 evidence file (" in nightly.stdout
    assert sha256((data(hub) / "evidence" / blob).read_bytes()) == blob
    assert hub.healthz()["damaged_evidence"]["count"] == 0
    assert audited(hub) == [("evidence_damaged", "verify"), ("evidence_repaired", "office")]


def test_a_file_damaged_before_its_first_sync_no_longer_blocks_the_sync(office, hub):
    office_script(office.env, "file", data(office), 2, 1)  # two reports, a photo each
    named = blobs(office)
    blob = sorted(named)[0]
    damage(data(office) / "evidence" / blob)

    for _ in range(2):  # and it does not fail the next night either
        synced = kiosk(office.env, "sync")
        assert synced.returncode == 0, synced.stderr
        assert "1 evidence file damaged or lost at this office, not sent" in synced.stdout and blob in synced.stdout
    assert query(data(hub), "SELECT last_sync_result, damaged_files FROM hub_office") == [("ok", f'["{blob}"]')]
    assert query(data(office), "SELECT blob, store FROM damaged_file") == [(blob, "evidence")]

    row = overview_row(hub)
    assert "Stale" not in row and "Completed" in row
    assert f"1 file damaged at the office: report {named[blob]}, file 1" in row

    verified = kiosk(office.env, "verify")  # nothing holds a good copy: it says so, and keeps it listed
    assert verified.returncode == 1 and blob in verified.stderr and "not repaired" in verified.stderr


def refused_at_the_hub(hub, token, now):
    """POST an empty batch signed by 36.73 with `token` at the time `now`; the hub's status."""
    body = canonical_json({"after": 0, "upto": 0, "final": True, "rows": {}})
    headers = dict(sign(token, "POST", "batch", "36.73", body, now=now), **{"Content-Type": "application/json"})
    request = urllib.request.Request(hub.url + "/api/sync/batch", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def overview_row(hub):
    """The text of Kota Serang's row on the provincial overview, as a person reads it."""
    member = StaffMember(LiveClient(hub.url))
    page = member.login("prov", office="36").get_data(as_text=True)
    return text(re.search(r'<tr id="office-36-73".*?</tr>', page, re.S).group(0))


def test_the_hub_names_the_reason_it_refused_an_office_the_same_night(hub):
    assert refused_at_the_hub(hub, hub.token, time.time() + 600) == 401  # the office's clock 10 minutes ahead
    assert "Refused: the office's clock is 10 minutes off (ahead of the hub's)" in overview_row(hub)

    assert refused_at_the_hub(hub, "not-the-office-token", time.time()) == 401
    assert "Refused: a bad signature" in overview_row(hub)

    assert refused_at_the_hub(hub, hub.token, time.time()) == 200  # the office fixed it: the refusal is history
    assert "Refused" not in overview_row(hub)


class SilentHub:
    """A TCP server on 127.0.0.1 that takes each request and then either never answers (`stall`) or answers
    503; counts the connections."""

    def __init__(self, stall):
        self.stall, self.connections, self.sockets = stall, 0, []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            self.sockets.append(conn)
            conn.recv(65536)
            if not self.stall:
                body = b'{"error": "overloaded"}'
                conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                             b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                conn.close()

    def close(self):
        self.listener.close()
        for conn in self.sockets:
            conn.close()


@pytest.mark.parametrize("stall", [True, False], ids=["stalled", "overloaded"])
def test_the_sync_gives_up_on_a_stalled_or_failing_hub_after_its_retries_not_a_minute(tmp_path, stall):
    silent = SilentHub(stall)
    office = Server(tmp_path / "office", office_code="36.73", hub_url=silent.url, hub_token="token",
                    sync_timeout=1, sync_retries=2, sync_backoff=0.2)
    try:
        started = time.monotonic()
        synced = kiosk(office.env, "sync")
        took = time.monotonic() - started
    finally:
        silent.close()
    assert synced.returncode == 1 and silent.connections == 3  # the first try and two retries
    if stall:
        assert "did not answer in time (10 s to connect, 1 s to answer; 3 attempts)" in synced.stderr
        assert took < 45  # three 1-second waits and two short pauses (plus starting the command on a busy machine), where one request used to wait 60 s
    else:
        assert "hub refused batch (503): overloaded" in synced.stderr


def test_the_hub_removes_partial_uploads_at_start_and_keeps_none_on_a_bad_upload(tmp_path):
    hub = Server(tmp_path / "hub", role="hub", office_code="36")
    token = register(hub.env, "36.73")
    folder = data(hub) / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".part-left-by-a-full-disk").write_bytes(b"half a photo")
    hub.start()
    try:
        assert [p.name for p in folder.iterdir()] == []
        office = Server(tmp_path / "office", office_code="36.73", hub_url=hub.url, hub_token=token)
        office_script(office.env, "file", data(office), 1, 1)
        assert kiosk(office.env, "sync").returncode == 0
        [blob] = blobs(office)
        body = b"not the photo"  # under the photo's name: refused, and nothing of it left in the folder
        headers = sign(token, "PUT", f"evidence/{blob}", "36.73", body)
        request = urllib.request.Request(hub.url + f"/api/sync/evidence/{blob}", data=body, headers=headers,
                                         method="PUT")
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=10)
        assert sorted(p.name for p in folder.iterdir()) == [blob]
    finally:
        hub.stop()
