"""The papers staff print are real PDFs whose text says what the paper must: read back with Debian's
pdftotext (poppler-utils). The reporter's name on the B.1 form, the receipt number on the receipt, the
registration number in the year's register, a Pilkada's status notice on Formulir Model A.17 with its
number kept when printed again; every printing audited, nothing personal in its address or the log."""
import datetime as dt
import subprocess

from kiosk import elections
from kiosk.choices import CHECKS
from kiosk.deadlines import today
from kiosk.staff.models import AuditLog
from kiosk.staff.workflow import change_status
from tests.support import html
from tests.support.citizen import REPORTER
from tests.support.staff import make_report


def pdf_text(response):
    """The text of a PDF response, as pdftotext reads it."""
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.get_data(), capture_output=True,
                          check=True)
    return " ".join(done.stdout.decode().split())


def test_the_b1_form_carries_the_reporter_as_filed_and_two_signature_boxes(staff_as):
    report = make_report()
    petugas = staff_as("petugas")
    page = petugas.get(f"/staff/laporan/{report.id}")
    pdf_link = html.link(page, "PDF Report form (Model B.1)")
    assert REPORTER["reporter_nik"] not in pdf_link and REPORTER["reporter_name"] not in pdf_link
    text = pdf_text(petugas.client.get(pdf_link))
    assert "BADAN PENGAWAS PEMILIHAN UMUM" in text and "BAWASLU KOTA SERANG" in text
    assert REPORTER["reporter_name"] in text and REPORTER["reporter_nik"] in text and report.receipt_no in text
    assert "Pelapor" in text and "Petugas penerima" in text  # the signature boxes, in Indonesian
    entry = AuditLog.select().where(AuditLog.action == "print_paper").get()
    assert entry.target == report.receipt_no and entry.detail == {"paper": "b1", "format": "pdf"}


def test_the_receipt_and_the_kajian_sheet(staff_as, accounts, app):
    with app.app_context():
        report = change_status(make_report(status="kajian_awal", kajian_checks={name: True for name in CHECKS},
                                           kajian_by="petugas", kajian_at=dt.datetime(2026, 12, 1, 3),
                                           legal_category="pidana"), "diregistrasi", accounts["petugas"], {})
    petugas = staff_as("petugas")
    receipt = pdf_text(petugas.client.get(f"/staff/laporan/{report.id}/cetak/tanda-bukti/pdf"))
    assert report.receipt_no in receipt and "TANDA BUKTI PENYAMPAIAN LAPORAN" in receipt.upper()
    sheet = pdf_text(petugas.client.get(f"/staff/laporan/{report.id}/cetak/kajian/pdf"))
    assert report.registration_no in sheet and "Tindak pidana pemilu" in sheet and "petugas" in sheet
    assert sheet.count("terpenuhi") >= 6


def test_the_register_book_lists_each_registered_report_numbered(staff_as, accounts, app):
    with app.app_context():
        done = [change_status(make_report(status="kajian_awal", kajian_checks={name: True for name in CHECKS},
                                          legal_category="administratif"), "diregistrasi", accounts["petugas"], {})
                for _ in range(2)]
    make_report()  # not registered: not in the book
    petugas = staff_as("petugas")
    text = pdf_text(petugas.client.get(f"/staff/register/pdf?tahun={today().year}"))
    assert all(report.registration_no in text for report in done)
    assert text.index(done[0].registration_no) < text.index(done[1].registration_no)
    shown = petugas.get(f"/staff/register?tahun={today().year}")
    assert [row[0] for row in html.rows(shown, "table.register")] == ["1", "2"]


def test_a_pilkada_status_notice_is_model_a17_and_keeps_its_number(staff_as, accounts, app):
    with app.app_context():
        pilkada = elections.add("36.73", "pilkada", "Pilkada Kota Serang 2029", dt.date(2029, 11, 28),
                                level="walikota")
        report = change_status(make_report(election_id=pilkada.id, status="kajian_awal",
                                           kajian_checks={name: True for name in CHECKS}),
                               "perlu_dilengkapi", accounts["petugas"], {"public_note": "Lampirkan fotokopi KTP."})
    petugas = staff_as("petugas")
    first = pdf_text(petugas.client.get(f"/staff/laporan/{report.id}/cetak/pemberitahuan/pdf"))
    again = pdf_text(petugas.client.get(f"/staff/laporan/{report.id}/cetak/pemberitahuan/pdf"))
    assert "Formulir Model A.17" in first and "Perlu dilengkapi" in first and REPORTER["reporter_name"] in first
    number = f"001/PS/36.73/{['I','II','III','IV','V','VI','VII','VIII','IX','X','XI','XII'][today().month - 1]}/{today().year}"
    assert number in first and number in again
    completion = pdf_text(petugas.client.get(f"/staff/laporan/{report.id}/cetak/kelengkapan/pdf"))
    assert "Lampirkan fotokopi KTP." in completion and str(report.completion_due.year) in completion


def test_a_session_without_the_office_key_gets_no_paper_with_personal_data(app, staff_as, accounts):
    from tests.support.staff import make_staff, StaffMember

    make_staff("baru", granted=False)
    member = StaffMember(app.test_client())
    member.login("baru")
    report = make_report()
    assert member.client.get(f"/staff/laporan/{report.id}/cetak/b1/pdf").status_code == 403
    assert member.client.get(f"/staff/laporan/{report.id}/cetak/nothing").status_code == 404


def test_the_kiosk_prints_the_b1_form_of_the_report_just_sent(citizen):
    from tests.support.citizen import submit, walk_to_review

    citizen.get("/bahasa/en?next=/lapor/")
    walk_to_review(citizen)
    receipt, _key = submit(citizen)
    link = html.link(receipt, "Print the report form to sign")
    page = citizen.get(link)
    assert link == "/lapor/tanda-terima/formulir" and page.headers["Cache-Control"] == "no-store"
    text = html.text(page, "main")
    assert REPORTER["reporter_name"] in text and REPORTER["reporter_nik"] in text and "Petugas penerima" in text
    citizen.post("/lapor/selesai")
    assert citizen.get(link).request.path != link  # once the visit ends, the form is gone with it
