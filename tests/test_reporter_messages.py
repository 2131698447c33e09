"""The reporter's side of a case, over HTTP without JavaScript: a formal report with email consent; staff
start the initial review and ask for completion; `kiosk notify` (the real command) delivers one email to a
real SMTP server on 127.0.0.1 (aiosmtpd) with the status link and nothing personal; the reporter completes
with a text and a photo using the tracking code; staff see both; a second run sends nothing; the mail server
down for one run means a retry later and exactly one email in the end. And the completion refused after its
window, with the office's contact shown."""
import datetime as dt
import hashlib
import io

import pytest

from kiosk.models import Addition, Evidence, Report
from kiosk.notify.models import Outbox, Subscription
from tests.support import html
from tests.support.citizen import REPORTER, event_answers, submit, walk_to_review
from tests.support.files import jpeg_bytes
from tests.support.mail import Inbox, bodies, mail_server
from tests.support.servers import environment, free_port, kiosk

DESCRIPTION = "Pembagian amplop berisi uang oleh tim sukses di depan masjid."
NOTE = "Mohon lengkapi foto amplop yang dibagikan."
INTERNAL = "Pelapor Siti tampak ragu"
PUBLIC_URL = "http://pojok.example"


def notify(app, port):
    """`kiosk notify` on the office's data folder, with its mail server at 127.0.0.1:`port`."""
    env = environment(app.config["DATA_DIR"], smtp_host="127.0.0.1", smtp_port=port, public_url=PUBLIC_URL,
                      mail_from="pojok@bawaslu-serang.example")
    return kiosk(env, "notify")


def file_formal_report(citizen):
    """A formal report with an email address, and the reporter asking to be told of changes."""
    walk_to_review(citizen, event=event_answers(description=DESCRIPTION))
    submit(citizen)
    receipt = citizen.get("/lapor/tanda-terima").get_data(as_text=True)
    assert "Off. Do you want an email at s***@e***.com" in html.text(receipt, "#messages")
    receipt = citizen.post("/lapor/kabar", {"messages": "email"}).get_data(as_text=True)
    assert "On: each change of status is sent to s***@e***.com" in html.text(receipt, "#messages")
    return Report.get()


def ask_for_completion(petugas, report, **extra):
    assert "The status is now" in petugas.post(f"/staff/laporan/{report.id}/status/kajian_awal", {}).get_data(as_text=True)
    petugas.post(f"/staff/laporan/{report.id}/kajian", {"identity": "y", "terlapor": "y", "deadline": "y",
                                                         "time_place": "y", "description": "y"})
    response = petugas.post(f"/staff/laporan/{report.id}/status/perlu_dilengkapi",
                            {"public_note": NOTE, "internal_note": INTERNAL, **extra})
    assert "The status is now" in response.get_data(as_text=True)


@pytest.mark.process
def test_told_by_email_completed_with_a_photo_and_told_exactly_once(app, citizen, staff_as):
    citizen.get("/bahasa/en?next=/")
    report = file_formal_report(citizen)
    petugas = staff_as("petugas")
    ask_for_completion(petugas, report)
    assert Outbox.select().count() == 2  # one per change, written with it

    port, inbox = free_port(), Inbox()
    server = mail_server(port, inbox)
    try:
        first = notify(app, port)
        assert first.returncode == 0, first.stderr
        assert "1 sent" in first.stdout
        assert len(inbox.messages) == 1  # the two changes due together go as one message: where it is now
        recipients, message = inbox.messages[0]
        assert recipients == ["siti@example.com"]
        text = "\n".join(bodies(message)) + message["Subject"]
        code = "-".join(report.tracking_code[i:i + 4] for i in range(0, 16, 4))
        assert f"{PUBLIC_URL}/status?kode={code}" in text
        assert "Needs completion" in text and "Bawaslu Kota Serang" in text
        for personal in (REPORTER["reporter_name"], "Siti", REPORTER["reporter_nik"], "3456", "81234567890",
                         DESCRIPTION, "amplop", NOTE, INTERNAL, report.terlapor_name):
            assert personal not in text, personal
        assert f"{PUBLIC_URL}/status/berhenti/" in text and message["List-Unsubscribe"]

        # The reporter completes with the tracking code: a text and a photo.
        status = citizen.get("/status", query_string={"kode": code}).get_data(as_text=True)
        assert NOTE in status and "Complete your report" in status
        photo = jpeg_bytes()
        added = citizen.post("/status/lengkapi", {"kode": code, "text": "Foto amplop terlampir.",
                                                  "files": [(io.BytesIO(photo), "amplop.jpg")]},
                             content_type="multipart/form-data").get_data(as_text=True)
        assert hashlib.sha256(photo).hexdigest() in added and f"{report.receipt_no}-L1" in added
        assert Addition.select().count() == 1 and Evidence.select().where(Evidence.addition.is_null(False)).count() == 1
        report = Report.get_by_id(report.id)
        assert report.completed_at is not None and report.needs_review
        status = citizen.get("/status", query_string={"kode": code}).get_data(as_text=True)
        assert "Completed by the reporter" in html.text(status, ".timeline")
        assert "Complete your report" not in status  # done: the window stops

        # Staff see both, and the mark in their list.
        page = petugas.get(f"/staff/laporan/{report.id}").get_data(as_text=True)
        assert "Foto amplop terlampir." in page and "Download amplop.jpg" in page
        listed = petugas.get("/staff/").get_data(as_text=True)
        assert "completed, to review" in listed
        item = Evidence.get(Evidence.addition.is_null(False))
        download = petugas.client.get(f"/staff/laporan/{report.id}/bukti/{item.id}")
        assert download.status_code == 200 and download.data == photo

        second = notify(app, port)
        assert second.returncode == 0 and "0 sent" in second.stdout
        assert len(inbox.messages) == 1

        # Staff take it back to review; the mail server is down for the next run.
        assert Report.get_by_id(report.id).status == "perlu_dilengkapi"
        petugas.post(f"/staff/laporan/{report.id}/status/kajian_awal", {})
        assert Report.get_by_id(report.id).status == "kajian_awal"
    finally:
        server.stop()
    down = notify(app, port)
    assert down.returncode == 1 and "1 failed" in down.stdout
    (waiting,) = Outbox.select().where(Outbox.sent_at.is_null())
    assert waiting.attempts == 1 and waiting.last_error == "unreachable"
    assert waiting.next_attempt_at > waiting.last_attempt_at  # backs off: not tried again at once
    early = notify(app, port)
    assert "0 sent" in early.stdout and "0 failed" in early.stdout
    Outbox.update(next_attempt_at=waiting.last_attempt_at).where(Outbox.id == waiting.id).execute()  # 5 minutes on
    server = mail_server(port, inbox)
    try:
        later = notify(app, port)
        assert later.returncode == 0 and "1 sent" in later.stdout
        again = notify(app, port)
        assert "0 sent" in again.stdout
    finally:
        server.stop()
    assert len(inbox.messages) == 2  # the retried change, exactly once
    assert "Initial review" in inbox.messages[1][1]["Subject"]


def test_completion_after_the_window_is_refused_with_the_offices_contact(app, citizen, staff_as, tmp_path):
    from kiosk.office import set_contact
    with app.app_context():
        set_contact("36.73", {"address": "Jl. Ahmad Yani No. 5, Kota Serang", "phone": "(0254) 200100",
                              "whatsapp": "0812 1111 2222", "email": "", "hours": "Senin-Jumat 08.00-16.00 WIB",
                              "all_day_from": None, "all_day_to": None, "evidence_desk": "Meja piket"})
    citizen.get("/bahasa/en?next=/")
    walk_to_review(citizen)
    submit(citizen)
    report = Report.get()
    ask_for_completion(staff_as("petugas"), report)
    Report.update(completion_due=dt.date.today() - dt.timedelta(days=2)).execute()
    code = "-".join(report.tracking_code[i:i + 4] for i in range(0, 16, 4))
    status = citizen.get("/status", query_string={"kode": code}).get_data(as_text=True)
    assert "Complete your report" not in status
    assert "The time to complete it ended" in html.text(status, ".status-now")
    assert "(0254) 200100" in html.text(status, ".office-contact")
    response = citizen.post("/status/lengkapi", {"kode": code, "text": "Terlambat",
                                                 "files": [(io.BytesIO(jpeg_bytes()), "a.jpg")]},
                            content_type="multipart/form-data", follow_redirects=False)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Jl. Ahmad Yani No. 5, Kota Serang" in page and "0812 1111 2222" in page
    assert Addition.select().count() == 0 and Evidence.select().count() == 0


def test_a_wrong_code_reveals_nothing_and_adds_nothing(app, citizen):
    citizen.get("/bahasa/en?next=/lapor/kejadian?jenis=tip")  # a page with a form: a session's CSRF token
    response = citizen.post("/status/lengkapi", {"kode": "1234 5678 9012 3456", "text": "x"}, follow_redirects=False)
    assert response.status_code in (400, 404)
    assert "No report has this tracking code" in response.get_data(as_text=True) or \
        "one of them is not right" in response.get_data(as_text=True)
    assert Addition.select().count() == 0


def test_unsubscribing_asks_first_then_stops(app, citizen, staff_as):
    citizen.get("/bahasa/en?next=/")
    report = file_formal_report(citizen)
    with app.app_context():
        from kiosk.notify.addresses import unsubscribe_token
        token = unsubscribe_token(report.id)
    page = citizen.get(f"/status/berhenti/{token}")
    assert page.status_code == 200 and Subscription.get().stopped_at is None  # a link opened stops nothing
    citizen.post(f"/status/berhenti/{token}", {})
    assert Subscription.get().stopped_at is not None
    staff_as("petugas").post(f"/staff/laporan/{report.id}/status/kajian_awal", {})
    assert Report.get_by_id(report.id).status == "kajian_awal" and Outbox.select().count() == 0


def test_without_a_public_address_a_message_carries_no_link_a_phone_cannot_open(app, citizen, staff_as):
    from kiosk.notify.models import Outbox as Queued
    from kiosk.notify.sender import compose
    citizen.get("/bahasa/en?next=/")
    report = file_formal_report(citizen)
    staff_as("petugas").post(f"/staff/laporan/{report.id}/status/kajian_awal", {})
    with app.app_context():
        app.config["PUBLIC_URL"] = ""
        message = compose(Queued.get())
    assert "127.0.0.1" not in message.text + message.html and "http" not in message.text
    assert "Ask the office for the status" in message.text and not message.unsubscribe_url
