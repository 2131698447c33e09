"""From an office's nightly sync to the provincial staff's screen, with real processes: a hub (`kiosk
serve`, KIOSK_ROLE=hub) with two offices registered, a provincial admin made by `kiosk recover` with the
hub's recovery key and a petugas made by `kiosk create-staff`; Kota Serang files reports through the real
flow and runs `kiosk sync`; the admin signs in (handing the hub's key to the petugas), then the petugas
signs in over HTTP and finds its reports, opened, its completed sync, and the office that never synced."""
import hashlib
import re
import subprocess

import pytest

from tests.support import keys
from tests.support.servers import BIN, LiveClient, Server, environment, kiosk, office_script, register
from tests.support.staff import STAFF_PASSWORD, StaffMember

pytestmark = [pytest.mark.process, pytest.mark.hubs]  # a hub (on each kind of database) and the `kiosk` CLI as processes


@pytest.fixture
def hub(tmp_path, hub_database):
    server = Server(tmp_path / "hub", role="hub", office_code="36", **hub_database.settings())
    server.token = register(server.env, "36.73")
    register(server.env, "36.01")  # registered, never synced
    made = subprocess.run([BIN / "kiosk", "create-staff", "--office", "36", "--username", "prov", "--role", "petugas",
                           "--password-stdin"], input=STAFF_PASSWORD + "\n", env=server.env, capture_output=True,
                          text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    recovered = kiosk(server.env, "recover", "--username", "prov-admin", "--stdin",
                      input=f"{keys.RECOVERY}\n{STAFF_PASSWORD}\n")
    assert recovered.returncode == 0 and "holds the office key" in recovered.stdout, recovered.stderr
    server.start()
    yield server
    server.stop()


def test_provincial_staff_see_what_an_office_synced(tmp_path, hub):
    office = environment(tmp_path / "office", office_code="36.73", hub_url=hub.url, hub_token=hub.token)
    office_script(office, "file", tmp_path / "office", 3, 3)  # 3 reports, a photo on the first
    synced = kiosk(office, "sync")
    assert synced.returncode == 0, synced.stderr

    StaffMember(LiveClient(hub.url)).login("prov-admin", office="36")  # hands the hub's key to prov
    member = StaffMember(LiveClient(hub.url))
    page = member.login("prov", office="36").get_data(as_text=True)
    serang = re.search(r'<tr id="office-36-73".*?</tr>', page, re.S).group(0)
    assert re.findall(r'<td class="num">(\d+)</td>', serang) == ["3", "3", "3"]
    assert "Completed" in serang and "stale" not in serang
    pandeglang = re.search(r'<tr id="office-36-01".*?</tr>', page, re.S).group(0)
    assert 'class="stale"' in pandeglang and "Never synced" in pandeglang

    listing = member.get("/staff/laporan?office=36.73").get_data(as_text=True)
    assert "3 reports" in listing and "0001/PL/36.73/" in listing
    first = re.search(r'href="(/staff/laporan/[0-9a-f-]{36})">0001/PL/36.73/', listing).group(1)
    report = member.get(first).get_data(as_text=True)
    assert "Read-only at the hub" in report and "Bawaslu Kota Serang</a> (36.73)" in report
    link, sha = re.search(r'href="(/staff/laporan/[^"]+/bukti/[0-9a-f-]{36})" download>.*?SHA-256 ([0-9a-f]{64})',
                          report, re.S).groups()
    assert hashlib.sha256(member.client.get(link).get_data()).hexdigest() == sha  # the file the sync brought
