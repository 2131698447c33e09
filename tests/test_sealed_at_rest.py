"""A thief of the office PC, its disk or a backup, or of the hub's database, learns nobody's identity: a
formal report and a tip (witnesses, a photo, a contact) go through a real `kiosk serve`, are backed up and
synced to a real hub, and then every file under both data folders (database, WAL, backups, evidence, the
backup store) and both servers' logs is read as raw bytes: not one of the values the people typed is there,
nor any stretch of the photo. Staff who sign in still see all of it."""
import io

import pytest
from PIL import Image

from tests.support import html, keys
from tests.support.citizen import REPORTER, Citizen, event_answers, submit, walk_to_review
from tests.support.servers import LiveClient, Server, environment, kiosk, register
from tests.support.staff import StaffMember

pytestmark = pytest.mark.process  # an office and a hub as `kiosk serve`, and the CLI

WITNESS = {"witness_name": "Wiryo Sudarsono Kuncoro", "witness_address": "Kampung Pasirwangi RT 04",
           "witness_phone": "0813 7777 1212"}
TIP_CONTACT = {"reporter_name": "Mang Ujang Pelapor", "reporter_phone": "0857 2222 9090",
               "reporter_email": "ujang.rahasia@example.com", "action": "next"}
TERLAPOR_PRIVATE = {"terlapor_name": "Kepala Desa Sukamaju", "terlapor_role": "kepala_desa",
                    "terlapor_address": "Jalan Kenanga Rahasia 7", "terlapor_phone": "0878 3333 4545",
                    "action": "next"}
SECRETS = {
    "reporter's name": REPORTER["reporter_name"], "NIK": REPORTER["reporter_nik"], "phone": "81234567890",
    "email": REPORTER["reporter_email"], "address": "Ahmad Yani No. 12", "witness's name": "Sudarsono Kuncoro",
    "witness's address": "Pasirwangi", "witness's phone": "81377771212", "reported party's address": "Kenanga Rahasia",
    "reported party's phone": "87833334545", "tip's name": "Mang Ujang", "tip's phone": "85722229090",
    "tip's email": "ujang.rahasia", "birth place and occupation": "Guru",
}


def photo():
    """A photo whose bytes are unlike anything else on the disk."""
    buffer = io.BytesIO()
    Image.effect_noise((320, 240), 90).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


def file_reports(url, picture):
    """A formal report with a witness and the photo, and a tip with a contact, through the real flow."""
    formal = Citizen(LiveClient(url))
    formal.get("/lapor/kejadian?jenis=formal")
    formal.post("/lapor/bukti", {"action": "upload", "files": [(io.BytesIO(picture), "foto-rahasia.png")]},
                content_type="multipart/form-data")
    walk_to_review(formal, witnesses=[WITNESS], reporter=dict(REPORTER, reporter_occupation="Guru Honorer Rahasia"))
    formal.post("/lapor/terlapor", TERLAPOR_PRIVATE)
    receipt = submit(formal)[0]
    assert receipt.status_code == 200 and html.tracking_code(receipt)
    tip = Citizen(LiveClient(url))
    walk_to_review(tip, kind="tip", event=event_answers(category="intimidasi"), contact=TIP_CONTACT)
    assert submit(tip)[0].status_code == 200


def every_file(*folders):
    """(path, bytes) of every file under the folders."""
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                yield path, path.read_bytes()


def test_nothing_anyone_typed_is_on_the_disk_of_the_office_or_the_hub(tmp_path):
    hub = Server(tmp_path / "hub", role="hub", office_code="36")
    token = register(hub.env, "36.73")
    hub.start()
    office = Server(tmp_path / "office", office_code="36.73", min_form_seconds=0, hub_url=hub.url, hub_token=token)
    office.start()
    picture = photo()
    try:
        file_reports(office.url, picture)
        for command in ("backup", "sync"):
            done = kiosk(office.env, command)
            assert done.returncode == 0, done.stderr
    finally:
        office.stop()
        hub.stop()

    folders = [tmp_path / "office", tmp_path / "hub"]
    checked = 0
    for path, data in every_file(*folders, *tmp_path.glob("serve-*.log")):
        checked += 1
        for what, value in SECRETS.items():
            assert value.encode() not in data, f"the {what} is readable in {path.relative_to(tmp_path)}"
        for start in range(0, len(picture) - 64, 4096):  # any stretch of the photo's bytes
            assert picture[start:start + 64] not in data, f"the photo is readable in {path.relative_to(tmp_path)}"
    names = {path.name for path, _ in every_file(*folders)}
    assert checked > 10 and "kiosk.sqlite3" in names and any(name.endswith(".sqlite3.sha256") for name in names)
    assert len(list((tmp_path / "hub" / "evidence").iterdir())) == 1  # the photo reached the hub, sealed


def test_staff_still_see_everything_once_signed_in(tmp_path):
    office = Server(tmp_path / "office", office_code="36.73", min_form_seconds=0)
    made = kiosk(environment(tmp_path / "office"), "recover", "--username", "kepala", "--stdin",
                 input=f"{keys.RECOVERY}\nsebuah kalimat panjang\n")
    assert made.returncode == 0, made.stderr
    office.start()
    picture = photo()
    try:
        file_reports(office.url, picture)
        staff = StaffMember(LiveClient(office.url))
        listing = staff.login("kepala", password="sebuah kalimat panjang")
        links = [href for href in html.links(listing, within="#queue") if "/staff/laporan/" in href]  # the work
        pages = "".join(staff.get(href).get_data(as_text=True) for href in links)
        for what in ("reporter's name", "NIK", "email", "witness's name", "reported party's address", "tip's name"):
            assert SECRETS[what] in pages, what
        download = next(href for href in html.links(pages) if "/bukti/" in href and "pratinjau" not in href)
        assert staff.client.get(download).get_data() == picture  # the file, opened for staff
    finally:
        office.stop()
