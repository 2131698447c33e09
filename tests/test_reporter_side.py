"""The reporter's side of a case, apart from the messages (tests/test_reporter_messages.py): the office's
contact details (admin page, command, every page that shows them), the status told plainly for each status
(a tip never promised a formal report's requirements), what staff add for the reporter, and retention."""
import datetime as dt
import io

import pytest

from kiosk import retention, tracking
from kiosk.models import Addition, Evidence, Report, StatusEvent
from kiosk.notify.models import Subscription
from kiosk.office import OfficeProfile
from kiosk.staff.models import AuditLog
from tests.support import html
from tests.support.citizen import submit, walk_to_review
from tests.support.files import jpeg_bytes
from tests.support.sealed import add_addition, addition_values, person
from tests.support.staff import make_report

CONTACT = {"address": "Jl. Ahmad Yani No. 5, Kota Serang", "phone": "(0254) 200100", "whatsapp": "0812 1111 2222",
           "email": "pojok@serang.example.com", "hours": "Senin-Jumat 08.00-16.00 WIB",
           "all_day_from": None, "all_day_to": None, "evidence_desk": "Meja piket, lantai 1"}


def status_page(client, report):
    return client.get("/status", query_string={"kode": tracking.grouped(report.tracking_code)}).get_data(as_text=True)


# ---- The office's own details ----

def test_an_admin_sets_the_contact_details_and_reporters_see_them_everywhere(app, staff_as, citizen):
    admin = staff_as("admin")
    form = dict(CONTACT, all_day_from="2029-02-11", all_day_to="2029-02-14")
    page = admin.post("/staff/kantor", form).get_data(as_text=True)
    assert "The office's contact details are saved." in html.text(page, ".flash-success")
    profile = OfficeProfile.get_by_id("36.73")
    assert (profile.phone, profile.all_day_to) == ("(0254) 200100", dt.date(2029, 2, 14))
    entry = AuditLog.get(AuditLog.action == "office_contact")
    assert entry.actor == "admin" and "phone" in entry.detail["fields"]

    landing = citizen.get("/").get_data(as_text=True)
    contact = html.text(landing, ".office-contact")
    assert "Jl. Ahmad Yani No. 5" in contact and "Meja piket" in contact and "11 Februari sampai 14 Februari 2029" in contact
    assert 'href="https://wa.me/6281211112222"' in landing and 'href="tel:+62254200100"' in landing
    walk_to_review(citizen)
    submit(citizen)
    receipt = citizen.get("/lapor/tanda-terima").get_data(as_text=True)
    assert "(0254) 200100" in html.text(receipt, ".office-contact")
    assert "0812 1111 2222" in html.text(status_page(citizen.client, Report.get()), ".office-contact")


@pytest.mark.parametrize("field,value,message", [
    ("phone", "12345", "Enter an Indonesian phone number"),
    ("whatsapp", "(0254) 200100", "WhatsApp needs a mobile number"),
    ("email", "not an email", "Enter an email address"),
    ("address", "x" * 501, "Use at most 500 characters"),
    ("all_day_to", "2029-02-14", "Give both days, or neither."),
])
def test_bad_contact_details_are_refused_and_nothing_is_kept(staff_as, field, value, message):
    response = staff_as("admin").post("/staff/kantor", {**CONTACT, "all_day_from": "", "all_day_to": "", field: value})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert OfficeProfile.select().where(OfficeProfile.address != "").count() == 0


def test_the_command_sets_the_details_and_marks_the_demos_as_made_up(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["office-profile", "--placeholder", "--address", "Jl. Contoh 1", "--phone", "(0254) 200000"])
    assert result.exit_code == 0, result.output
    assert "address: Jl. Contoh 1" in result.output
    landing = client.get("/").get_data(as_text=True)
    assert "Example details of the demo office" in landing or "Contoh data kantor demo" in landing
    kept = runner.invoke(args=["office-profile", "--if-empty", "--address", "Jl. Lain"])
    assert kept.exit_code == 0 and OfficeProfile.get_by_id("36.73").address == "Jl. Contoh 1"
    refused = runner.invoke(args=["office-profile", "--whatsapp", "(0254) 200000"])
    assert refused.exit_code != 0 and "--whatsapp" in refused.output and OfficeProfile.get_by_id("36.73").whatsapp == ""


# ---- The status, told plainly ----

@pytest.mark.parametrize("kind", ["formal", "tip"])
def test_each_status_is_told_in_a_sentence_with_what_comes_next(app, client, kind):
    client.get("/bahasa/en?next=/")
    report = make_report(kind=kind, status="diterima")
    seen = {}
    for status, fields, detail in [
        ("kajian_awal", {}, {}),
        ("perlu_dilengkapi", {"completion_due": dt.date.today() + dt.timedelta(days=3)}, {}),
        ("diregistrasi", {"registration_no": "001/Reg/LP/PL/Kota/36.73/XII/2026", "registered_on": dt.date.today()}, {}),
        ("diteruskan", {"forwarded_to": "gakkumdu"}, {"agency": "gakkumdu"}),
        ("selesai", {"outcome": "violation"}, {"outcome": "violation"}),
    ]:
        Report.update(status=status, **fields).where(Report.id == report.id).execute()
        StatusEvent.create(report=report, status=status, actor="petugas", public_note="", detail=detail)
        page = status_page(client, Report.get_by_id(report.id))
        seen[status] = html.text(page, ".status-now")
        if kind == "tip":  # a tip is never told of a formal report's requirements
            assert "requirement" not in seen[status].lower() and "syarat" not in page
    assert "by" in seen["kajian_awal"] and "Complete it by" in seen["perlu_dilengkapi"]
    assert "001/Reg/LP/PL/Kota/36.73/XII/2026" in seen["diregistrasi"] and "decides on it by" in seen["diregistrasi"]
    assert "Sentra Gakkumdu" in seen["diteruskan"]
    assert "Outcome: Violation found" in seen["selesai"]


def test_a_tips_receipt_promises_no_formal_requirements(citizen):
    citizen.get("/bahasa/en?next=/")
    walk_to_review(citizen, kind="tip")
    submit(citizen)
    receipt = citizen.get("/lapor/tanda-terima").get_data(as_text=True)
    assert "requirement" not in html.text(receipt, ".receipt").lower()
    assert "Staff read your information by" in receipt


def test_the_kiosk_status_page_has_a_finish_button_and_a_phone_none(app, client):
    report = make_report(status="diterima")
    assert not html.has(status_page(client, report), 'form[action="/lapor/selesai"]')
    client.get("/kiosk")  # the test client comes from 127.0.0.1, a kiosk device by default
    page = status_page(client, report)
    assert html.text(page, 'form[action="/lapor/selesai"] button') == "Selesai"


# ---- What staff add for the reporter ----

def test_staff_attach_what_the_reporter_brought_and_record_physical_evidence(app, staff_as):
    report = make_report(status="kajian_awal")
    petugas = staff_as("petugas")
    photo = jpeg_bytes()
    page = petugas.post(f"/staff/laporan/{report.id}/tambahan",
                        {"text": "Fotokopi KTP pelapor", "files": [(io.BytesIO(photo), "ktp.jpg")]},
                        content_type="multipart/form-data").get_data(as_text=True)
    assert f"Attached to the report as {report.receipt_no}-L1." in page
    assert "Fotokopi KTP pelapor" in page and "Download ktp.jpg" in page
    page = petugas.post(f"/staff/laporan/{report.id}/bukti-fisik", {"what": "2 amplop berisi uang"}).get_data(as_text=True)
    assert f"Recorded as received ({report.receipt_no}-L2)." in page and "2 amplop berisi uang" in page
    received = Addition.get(Addition.kind == "physical_received")
    assert received.actor == "petugas" and received.at is not None
    with app.app_context():
        assert addition_values(received).text == "2 amplop berisi uang"
    assert "2 amplop" not in received.personal  # sealed
    assert AuditLog.select().where(AuditLog.action == "addition").count() == 2
    refused = petugas.post(f"/staff/laporan/{report.id}/tambahan",
                           {"text": "", "files": [(io.BytesIO(b"MZ\x90\x00 not a photo"), "virus.jpg")]},
                           content_type="multipart/form-data").get_data(as_text=True)
    assert "virus.jpg" in refused and Addition.select().count() == 2 and Evidence.select().count() == 1


def test_identity_details_a_reporter_completed_go_into_the_report(app, staff_as):
    report = make_report(status="kajian_awal", kind="formal")
    with app.app_context():
        added = add_addition(report, kind="brought_in", text="", reporter_occupation="Petani",
                             reporter_address="Kp. Cilaki RT 02, Lebak")
    staff_as("petugas").post(f"/staff/laporan/{report.id}/tambahan/{added.id}/pakai", {})
    with app.app_context():
        opened = person(Report.get_by_id(report.id))
    assert opened.reporter_occupation == "Petani" and opened.reporter_address == "Kp. Cilaki RT 02, Lebak"
    assert AuditLog.get(AuditLog.action == "identity_completed").target == added.receipt_no


def test_staff_ask_for_identity_details_and_the_form_asks_exactly_those(app, staff_as, client):
    client.get("/bahasa/en?next=/")
    report = make_report(status="kajian_awal", kind="formal", kajian_checks={"identity": False})
    staff_as("petugas").post(f"/staff/laporan/{report.id}/status/perlu_dilengkapi",
                             {"public_note": "Lengkapi pekerjaan", "missing": ["reporter_occupation"]})
    page = status_page(client, Report.get_by_id(report.id))
    assert 'name="reporter_occupation"' in page and 'name="reporter_nik"' not in page
    kode = tracking.grouped(report.tracking_code)
    form = html.value(page, "csrf_token")
    bad = client.post("/status/lengkapi", data={"csrf_token": form, "kode": kode, "text": "x", "reporter_occupation": ""})
    assert bad.status_code == 400 and "Enter your occupation." in bad.get_data(as_text=True)
    assert Addition.select().count() == 0
    good = client.post("/status/lengkapi", data={"csrf_token": form, "kode": kode, "text": "",
                                                 "reporter_occupation": "Nelayan"})
    assert good.status_code == 303
    with app.app_context():
        assert addition_values(Addition.get()).reporter_occupation == "Nelayan"


def test_retention_destroys_what_was_added_and_the_address_for_messages(app, citizen):
    walk_to_review(citizen)
    submit(citizen)
    citizen.post("/lapor/kabar", {"messages": "email"})
    report = Report.get()
    with app.app_context():
        add_addition(report, text="Fotokopi KTP", reporter_name="Siti")
        Report.update(status="selesai", outcome="no_violation").execute()
        StatusEvent.create(report=report, status="selesai", at=dt.datetime.now() - dt.timedelta(days=2000),
                           actor="petugas")
        retention.run(app.config)
    assert all(row.personal == row.key_office == row.key_hub == "" for row in Addition.select())
    assert Subscription.select().count() == 0
