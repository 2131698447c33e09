"""A report transferred between offices through the hub (pelimpahan), with three real servers: the hub and two
offices, each `kiosk serve` in its own process, and `kiosk sync` run as each office's timer would. A citizen
files at Kota Serang about an event in Pandeglang; Kota Serang's staff transfer it; every step of its journey is
killed once (the hub after committing, an office after fetching, after storing, after learning it arrived) and
run again. At the end: one report at Pandeglang with its own number, the evidence file by hash, the personal
data opened there; Kota Serang's copy read-only and showing where it went; each office's rows identical at the
hub; the citizen's tracking code answering at both offices and at the hub."""
import hashlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from kiosk import regions
from tests.support import keys
from tests.support.citizen import Citizen, event_answers, submit, walk_to_review
from tests.support.mail import Inbox, bodies, mail_server
from tests.support.servers import ROOT, LiveClient, Server, free_port, kiosk, query, register, stored_files
from tests.support.staff import STAFF_PASSWORD, StaffMember

pytestmark = pytest.mark.process  # three `kiosk serve` processes and the `kiosk` CLI

SENDER, RECEIVER = "36.73", "36.01"
TABLES = ("witness", "addition", "evidence", "status_event")
PUBLIC_URL = "http://pojok.example"


class DyingHub(Server):
    """The hub, ending its process right after committing a request to `endpoint` (tests.support.transfer_dies),
    on the port the offices know."""

    cwd = ROOT

    def __init__(self, hub, endpoint):
        super().__init__(hub.env["KIOSK_DATA_DIR"], role="hub", office_code="36")
        self.port, self.url, self.endpoint = hub.port, hub.url, endpoint
        self.env["KIOSK_PORT"] = str(hub.port)

    def command(self):
        return [sys.executable, "-m", "tests.support.transfer_dies", "hub", self.endpoint]


def admin(env, username="admin"):
    """An admin holding the office's key, made with its recovery key (as after `kiosk init-keys`)."""
    made = kiosk(env, "recover", "--username", username, "--stdin", input=f"{keys.RECOVERY}\n{STAFF_PASSWORD}\n")
    assert made.returncode == 0 and "holds the office key" in made.stdout, made.stderr


@pytest.fixture
def world(tmp_path):
    hub = Server(tmp_path / "hub", role="hub", office_code="36")
    tokens = {code: register(hub.env, code) for code in (SENDER, RECEIVER)}
    admin(hub.env, "prov-admin")
    offices = {}
    for code in (SENDER, RECEIVER):
        offices[code] = Server(tmp_path / code, office_code=code, hub_url=hub.url, hub_token=tokens[code],
                               min_form_seconds=0, sync_retries=0)
        admin(offices[code].env)
    assert kiosk(offices[RECEIVER].env, "office-profile", "--phone", "(0253) 201234").returncode == 0
    servers = [hub, *offices.values()]
    for server in servers:
        server.start()
    yield hub, offices[SENDER], offices[RECEIVER]
    for server in servers:
        server.stop()


def data(server):
    return server.env["KIOSK_DATA_DIR"]


def sync(office):
    return kiosk(office.env, "sync")


def sync_dying(office, step):
    """`kiosk sync` at the office, killed right after the transfer step `step`."""
    return subprocess.run([sys.executable, "-m", "tests.support.transfer_dies", "office", step], env=office.env,
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def photo():
    buffer = io.BytesIO()
    Image.effect_noise((60, 40), 64).convert("RGB").save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def file_about_pandeglang(office, messages=False):
    """A citizen files at the office, over HTTP, about an event in Pandeglang, with a photo and a witness (and,
    with `messages`, in English, asking on the receipt to be told of changes by email); returns the tracking code's
    digits."""
    district = regions.children(RECEIVER)[0][0]
    person = Citizen(LiveClient(office.url))
    if messages:
        person.get("/bahasa/en?next=/")
    person.get("/lapor/kejadian?jenis=formal")
    person.post("/lapor/bukti", {"action": "upload", "files": [(io.BytesIO(photo()), "amplop.jpg")]},
                content_type="multipart/form-data")
    walk_to_review(person, event=event_answers(regency=RECEIVER, district=district,
                                               village=regions.children(district)[0][0]),
                   witnesses=[{"witness_name": "Budi Santoso", "witness_phone": "0813 1111 2222"}])
    page = submit(person)[0].get_data(as_text=True)
    if messages:
        receipt = person.post("/lapor/kabar", {"messages": "email"}).get_data(as_text=True)
        assert "On: each change of status is sent to s***@e***.com" in receipt
    return re.sub(r"\D", "", re.search(r'class="tracking-code">(.*?)</p>', page, re.S).group(1))


def transfer_state(hub, digits):
    rows = query(data(hub), "SELECT state FROM transfer WHERE tracking_code = ?", digits)
    return [state for (state,) in rows]


def rows_of(data_dir, office):
    """{table: {(uuid, change_seq)}} of one office's replicated rows in a database."""
    held = {"report": set(query(data_dir, "SELECT id, change_seq FROM report WHERE office_code = ?", office))}
    for table in TABLES:
        held[table] = set(query(data_dir, f"SELECT t.id, t.change_seq FROM {table} t JOIN report r ON t.report_id = r.id "
                                          "WHERE r.office_code = ?", office))
    return held


def status_page(server, digits):
    person = LiveClient(server.url)
    person.get("/bahasa/en?next=/")
    return person.get(f"/status?kode={digits}").get_data(as_text=True)


def staff_url(report_id):
    """The staff page of the report with UUID hex `report_id`."""
    return f"/staff/laporan/{report_id[:8]}-{report_id[8:12]}-{report_id[12:16]}-{report_id[16:20]}-{report_id[20:]}"


def signed_in(office, code):
    """The office's admin, signed in over HTTP."""
    staff = StaffMember(LiveClient(office.url))
    staff.login("admin", office=code)
    return staff


def test_a_transfer_killed_at_every_step_arrives_once(world):
    hub, sender, receiver = world
    digits = file_about_pandeglang(sender)
    (report_id,) = query(data(sender), "SELECT id FROM report WHERE tracking_code = ?", digits)[0]
    report_url = staff_url(report_id)

    staff = signed_in(sender, SENDER)
    page = staff.get(report_url).get_data(as_text=True)
    assert "transfer (limpahkan) the report to Bawaslu Kabupaten Pandeglang" in page
    form = staff.get(report_url + "/status/dilimpahkan").get_data(as_text=True)
    assert re.search(r'value="36\.01" checked', form)  # the competent office, chosen already
    assert 'value="36.72"' in form and 'value="36.73"' not in form  # any other office of Banten, not this one
    done = staff.post(report_url + "/status/dilimpahkan", {"office": RECEIVER, "transfer_reason": "wilayah",
                                                            "public_note": "", "internal_note": "Locus Pandeglang."})
    assert "The status is now “Transferred”" in done.get_data(as_text=True)
    assert query(data(sender), "SELECT status, transfer_office FROM report WHERE id = ?", report_id) == [
        ("dilimpahkan", RECEIVER)]

    # 1. The hub dies after committing the sender's batch, unanswered: the rerun holds it once.
    hub.stop()
    dying = DyingHub(hub, "batch")
    dying.start()
    assert sync(sender).returncode != 0
    assert dying.wait_exit() == 75
    hub.start()
    assert transfer_state(hub, digits) == ["held"]
    assert sync(sender).returncode == 0
    assert transfer_state(hub, digits) == ["held"]

    # 2. The receiver gives its key; a provincial account signing in seals the report to it.
    assert sync(receiver).returncode == 0
    assert transfer_state(hub, digits) == ["held"]
    overview = StaffMember(LiveClient(hub.url))
    page = overview.login("prov-admin", office="36").get_data(as_text=True)
    assert transfer_state(hub, digits) == ["sealed"]
    assert "Transfers in flight" in page and "Sealed to the office, waiting for its next sync" in page

    # 3. The receiver is killed after fetching the evidence, then after storing the report (before telling
    #    the hub), then the hub after recording the acknowledgement (unanswered): one report in the end.
    assert sync_dying(receiver, "fetched").returncode == 75
    assert query(data(receiver), "SELECT COUNT(*) FROM report WHERE tracking_code = ?", digits) == [(0,)]
    assert sync_dying(receiver, "stored").returncode == 75
    assert transfer_state(hub, digits) == ["sealed"]
    hub.stop()
    dying = DyingHub(hub, "transfers_ack")
    dying.start()
    assert sync(receiver).returncode != 0
    assert dying.wait_exit() == 75
    hub.start()
    assert transfer_state(hub, digits) == ["stored"]
    again = sync(receiver)
    assert again.returncode == 0, again.stderr
    stored = query(data(receiver), "SELECT id, receipt_no, office_code, status, transferred_from FROM report "
                                   "WHERE tracking_code = ?", digits)
    assert len(stored) == 1
    new_id, number, office, status, came_from = stored[0]
    assert (office, status, came_from) == (RECEIVER, "diterima", report_id) and number.startswith("0001/PL/36.01/")
    (blob,) = query(data(receiver), "SELECT blob FROM evidence WHERE report_id = ?", new_id)[0]
    assert stored_files(data(receiver))[blob] == blob  # fetched by hash, checked

    # 4. The sender is killed after learning it arrived, before telling the hub; the rerun completes it.
    assert sync_dying(sender, "marked").returncode == 75
    assert transfer_state(hub, digits) == ["stored"]
    assert sync(sender).returncode == 0
    assert transfer_state(hub, digits) == ["done"]
    assert query(data(sender), "SELECT state, new_receipt_no FROM transfer") == [("arrived", number)]

    # Both offices sync once more: each office's rows identical at the hub, one report per office.
    for office_server, code in ((receiver, RECEIVER), (sender, SENDER)):
        assert sync(office_server).returncode == 0
        assert rows_of(data(office_server), code) == rows_of(data(hub), code)
    assert query(data(hub), "SELECT office_code, status FROM report WHERE tracking_code = ? ORDER BY office_code",
                 digits) == [(RECEIVER, "diterima"), (SENDER, "dilimpahkan")]
    page = overview.login("prov-admin", office="36").get_data(as_text=True)  # the hub restarted: a new session
    assert "No transfer between offices is under way." in page

    # The sender's copy: read-only, showing where it went.
    page = staff.get(report_url).get_data(as_text=True)
    assert "Transferred to Bawaslu Kabupaten Pandeglang." in page and f"It arrived there as report {number}." in page
    refused = staff.post(report_url + "/kategori", {"legal_category": "administratif"}).get_data(as_text=True)
    assert "its copy here is read-only" in refused
    assert query(data(sender), "SELECT legal_category FROM report WHERE id = ?", report_id) == [("",)]

    # The receiver's report: its own, from Kota Serang, the reporter's data and the photo opened there.
    there = signed_in(receiver, RECEIVER)
    listing = there.get("/staff/").get_data(as_text=True)
    link = re.search(r'href="(/staff/laporan/[0-9a-f-]{36})"', listing).group(1)
    page = there.get(link).get_data(as_text=True)
    assert "Transferred from Bawaslu Kota Serang" in page and "Siti Rahmawati" in page and "Budi Santoso" in page
    file_link, sha = re.search(r'href="(/staff/laporan/[^"]+/bukti/[0-9a-f-]{36})" download>.*?SHA-256 ([0-9a-f]{64})',
                               page, re.S).groups()
    assert hashlib.sha256(there.client.get(file_link).get_data()).hexdigest() == sha

    # The citizen's code answers at both offices and at the hub: where the report is now.
    at_sender = status_page(sender, digits)
    assert f"Arrived at Bawaslu Kabupaten Pandeglang as report {number}" in at_sender
    assert "Your report was transferred to Bawaslu Kabupaten Pandeglang" in at_sender
    assert "(0253) 201234" in at_sender  # the receiving office's contact, which it gave the hub
    for server in (receiver, hub):
        page = status_page(server, digits)
        assert f"Report {number}: Received" in page and "Transferred from" in page and "Bawaslu Kota Serang" in page
        assert "(0253) 201234" in page


def notify(office, port):
    """`kiosk notify` at the office, with its mail server at 127.0.0.1:`port`; its output."""
    env = dict(office.env, KIOSK_SMTP_HOST="127.0.0.1", KIOSK_SMTP_PORT=str(port), KIOSK_PUBLIC_URL=PUBLIC_URL,
               KIOSK_MAIL_FROM="pojok@bawaslu.example")
    done = kiosk(env, "notify")
    assert done.returncode == 0, done.stderr
    return done.stdout


def raw_bytes(server):
    """Everything the server's database files hold, as bytes."""
    folder = Path(data(server))
    return b"".join(path.read_bytes() for path in folder.glob("kiosk.sqlite3*"))


def test_the_reporters_messages_follow_the_report_to_the_office_it_went_to(world):
    hub, sender, receiver = world
    digits = file_about_pandeglang(sender, messages=True)
    (report_id,) = query(data(sender), "SELECT id FROM report WHERE tracking_code = ?", digits)[0]
    done = signed_in(sender, SENDER).post(staff_url(report_id) + "/status/dilimpahkan", {
        "office": RECEIVER, "transfer_reason": "wilayah", "public_note": "", "internal_note": ""})
    assert "The status is now “Transferred”" in done.get_data(as_text=True)

    port, inbox = free_port(), Inbox()
    server = mail_server(port, inbox)
    try:
        # The sending office tells the transfer, and keeps the address no longer.
        assert "1 sent" in notify(sender, port)
        [(to, told)] = inbox.messages[-1:]
        assert to == ["siti@example.com"] and "Transferred" in told["Subject"]
        assert "Bawaslu Kabupaten Pandeglang" in "\n".join(bodies(told))
        assert query(data(sender), "SELECT address, stopped_at IS NOT NULL FROM subscription") == [("", 1)]

        # The report goes through the hub to Pandeglang, the address with it, sealed all the way.
        assert sync(sender).returncode == 0
        assert sync(receiver).returncode == 0
        StaffMember(LiveClient(hub.url)).login("prov-admin", office="36")  # seals the report to Pandeglang
        assert sync(receiver).returncode == 0
        assert query(data(receiver), "SELECT COUNT(*) FROM notice_handover") == [(1,)]
        assert "0 sent" in notify(receiver, port)  # nobody there has opened it yet
        for server_ in (hub, receiver):
            assert b"siti@example.com" not in raw_bytes(server_)

        # Pandeglang's admin signs in: the messages are its own now, and the first says where the report is.
        there = signed_in(receiver, RECEIVER)
        assert query(data(receiver), "SELECT COUNT(*) FROM notice_handover") == [(0,)]
        assert query(data(receiver), "SELECT channel, address_masked FROM subscription") == [
            ("email", "s***@e***.com")]
        assert "1 sent" in notify(receiver, port)
        to, arrived = inbox.messages[-1]
        text = "\n".join(bodies(arrived)) + arrived["Subject"]
        assert to == ["siti@example.com"] and "Bawaslu Kabupaten Pandeglang" in arrived["Subject"]
        assert "Received" in arrived["Subject"] and f"{PUBLIC_URL}/status?kode=" in text
        assert "(0253) 201234" in text and f"{PUBLIC_URL}/status/berhenti/" in text
        for personal in ("Siti Rahmawati", "3673015508900002", "Budi Santoso", "amplop"):
            assert personal not in text, personal

        # Every change at Pandeglang is told from there.
        (new_id,) = query(data(receiver), "SELECT id FROM report WHERE tracking_code = ?", digits)[0]
        there.post(staff_url(new_id) + "/status/kajian_awal", {"public_note": "", "internal_note": ""})
        assert "1 sent" in notify(receiver, port)
        assert "Initial review" in inbox.messages[-1][1]["Subject"] and len(inbox.messages) == 3
        assert "0 sent" in notify(sender, port)
    finally:
        server.stop()
