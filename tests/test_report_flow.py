"""The citizen's report without JavaScript: both ways in, to a receipt, exactly once."""
import re


from kiosk import tracking
from kiosk.models import Draft, Report, StatusEvent, Witness
from tests.support.sealed import draft_of, person, witnesses
from tests.support import html
from tests.support.citizen import REPORTER, days_ago, event_answers, submit, walk_to_review

RECEIPT_NO = re.compile(r"\d{4}/PL/36\.73/[IVX]+/\d{4}")


def test_formal_report_reaches_a_receipt_and_is_stored_once(citizen, app):
    app.config["PUBLIC_URL"] = "https://lapor.bawaslu-serangkota.go.id"
    review = walk_to_review(citizen, witnesses=[{"witness_name": "Budi Santoso", "witness_phone": "0813 1111 2222"}])
    assert html.h1(review) == "Apakah jawaban Anda sudah benar?"
    answers = html.summary(review)  # shown back for checking, each under its step
    assert answers["Siapa Anda?"]["Nama lengkap"] == "Siti Rahmawati"
    assert answers["Siapa Anda?"]["NIK (16 angka di KTP Anda)"] == "3673015508900002"
    assert answers["Adakah orang lain yang melihat atau mendengarnya?"] == {"Saksi 1": "Budi Santoso, 0813 1111 2222"}
    assert answers["Siapa yang Anda laporkan?"]["Nama orang atau kelompok yang dilaporkan"] == "Tim Sukses Calon Nomor 3"

    response, _ = submit(citizen)
    receipt = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.h1(receipt) == "Laporan Anda sudah diterima"
    facts = html.definitions(receipt, ".receipt-facts")
    assert facts["Kantor"] == "Bawaslu Kota Serang"
    assert RECEIPT_NO.fullmatch(facts["Nomor tanda terima"])
    code = html.tracking_code(receipt)
    assert tracking.is_well_formed(code)
    assert html.has(receipt, "figure.qr svg")  # the QR code of the status page
    assert response.headers["Cache-Control"] == "no-store"

    report = Report.get()
    assert Report.select().count() == 1
    assert report.kind == "formal" and report.channel == "web" and not report.late
    assert person(report).reporter_nik == "3673015508900002"
    assert person(report).reporter_phone == "+6281234567890"
    assert facts["Nomor tanda terima"] == report.receipt_no
    assert report.tracking_code == code
    assert [w.name for w in witnesses(report)] == ["Budi Santoso"] and Witness.select().count() == 1
    assert [e.status for e in StatusEvent.select()] == ["diterima"]
    assert Draft.select().count() == 0


def test_anonymous_tip_needs_no_identity(citizen):
    walk_to_review(citizen, kind="tip")
    response, _ = submit(citizen)
    assert html.definitions(response, ".receipt-facts")["Jenis"] == "Informasi tanpa identitas"
    report = Report.get()
    assert report.kind == "tip"
    assert person(report).reporter_name == "" and person(report).reporter_nik == "" and person(report).reporter_phone == ""


def test_tip_keeps_optional_contact(citizen):
    walk_to_review(citizen, kind="tip", contact={"reporter_phone": "0857-1234-5678", "action": "next"})
    submit(citizen)
    assert person(Report.get()).reporter_phone == "+6285712345678"


def test_double_submit_makes_one_report(citizen):
    walk_to_review(citizen)
    first, key = submit(citizen)
    again = citizen.post("/lapor/kirim", {"submit_key": key, "declared_true": "y", "action": "send"})
    assert Report.select().count() == 1
    report = Report.get()
    for receipt in (first, again):  # the second press shows the same receipt
        assert html.definitions(receipt, ".receipt-facts")["Nomor tanda terima"] == report.receipt_no
        assert html.tracking_code(receipt) == report.tracking_code


def test_submit_without_declaration_is_refused_and_keeps_the_draft(citizen):
    walk_to_review(citizen)
    page = citizen.get("/lapor/periksa").get_data(as_text=True)
    key = re.search(r'name="submit_key" value="([^"]+)"', page).group(1)
    response = citizen.post("/lapor/kirim", {"submit_key": key, "action": "send"})
    assert [href for href, _ in html.errors(response)] == ["#declared_true"]
    assert Report.select().count() == 0
    assert Draft.select().count() == 1


def test_receipt_number_counts_up(client, app):
    from tests.support.citizen import Citizen

    numbers = []
    for _ in range(2):
        person = Citizen(app.test_client())
        walk_to_review(person, kind="tip")
        submit(person)
    numbers = [r.receipt_no for r in Report.select().order_by(Report.submitted_at)]
    assert [n[:4] for n in numbers] == ["0001", "0002"]


def test_finish_clears_the_session(citizen):
    walk_to_review(citizen)
    submit(citizen)
    citizen.post("/lapor/selesai")
    response = citizen.get("/lapor/tanda-terima")
    assert not html.has(response, ".tracking-code")
    assert citizen.get("/lapor/periksa").request.path == "/lapor/"


def test_draft_survives_a_reload(citizen):
    citizen.get("/lapor/kejadian?jenis=formal")
    citizen.post("/lapor/kejadian", event_answers(description="Ada pembagian sembako oleh caleg di balai desa."))
    page = citizen.get("/lapor/kejadian").get_data(as_text=True)
    assert html.value(page, "description") == "Ada pembagian sembako oleh caleg di balai desa."
    assert html.value(page, "category") == "politik_uang"


def test_deadline_passed_offers_a_tip_and_stores_it(citizen):
    citizen.get("/lapor/kejadian?jenis=formal")
    citizen.post("/lapor/kejadian", event_answers(occurred_on=days_ago(40), learned_on=days_ago(30)))
    citizen.post("/lapor/terlapor", {"terlapor_name": "Kepala Desa X", "terlapor_role": "kepala_desa"})
    citizen.post("/lapor/saksi", {"action": "next"})
    notice = citizen.post("/lapor/bukti", {"action": "next"})
    assert notice.request.path == "/lapor/batas-waktu"
    choice = citizen.post("/lapor/batas-waktu", {"choice": "tip"})
    assert choice.request.path == "/lapor/kontak"
    citizen.post("/lapor/kontak", {"action": "next"})
    submit(citizen)
    report = Report.get()
    assert report.kind == "tip" and report.late


def test_deadline_passed_can_still_be_formal(citizen):
    citizen.get("/lapor/kejadian?jenis=formal")
    citizen.post("/lapor/kejadian", event_answers(occurred_on=days_ago(40), learned_on=days_ago(30)))
    citizen.post("/lapor/terlapor", {"terlapor_name": "Kepala Desa X", "terlapor_role": "kepala_desa"})
    citizen.post("/lapor/saksi", {"action": "next"})
    citizen.post("/lapor/bukti", {"action": "next"})
    step = citizen.post("/lapor/batas-waktu", {"choice": "formal"})
    assert step.request.path == "/lapor/pelapor"
    citizen.post("/lapor/pelapor", REPORTER)
    submit(citizen)
    report = Report.get()
    assert report.kind == "formal" and report.late


def test_recent_report_skips_the_deadline_notice(citizen):
    citizen.get("/lapor/kejadian?jenis=formal")
    citizen.post("/lapor/kejadian", event_answers())
    citizen.post("/lapor/terlapor", {"terlapor_name": "X", "terlapor_role": "calon"})
    citizen.post("/lapor/saksi", {"action": "next"})
    assert citizen.post("/lapor/bukti", {"action": "next"}).request.path == "/lapor/pelapor"


def test_change_link_returns_to_the_review(citizen):
    walk_to_review(citizen)
    response = citizen.post("/lapor/terlapor?kembali=1", {"terlapor_name": "Calon Bupati Y", "terlapor_role": "calon"})
    assert response.request.path == "/lapor/periksa"
    assert html.summary(response)["Siapa yang Anda laporkan?"]["Nama orang atau kelompok yang dilaporkan"] == "Calon Bupati Y"


def test_witnesses_can_be_added_and_removed(citizen):
    citizen.get("/lapor/kejadian?jenis=formal")
    for name in ["Ani", "Budi", "Citra"]:
        citizen.post("/lapor/saksi", {"witness_name": name, "action": "add"})
    page = citizen.post("/lapor/saksi", {"action": "remove:1"}).get_data(as_text=True)
    assert html.texts(page, ".items > li.item > span") == ["Ani", "Citra"]
    assert [w["name"] for w in draft_of(citizen)["witnesses"]] == ["Ani", "Citra"]


def test_at_most_five_witnesses(citizen):
    citizen.get("/lapor/kejadian?jenis=formal")
    for n in range(6):
        response = citizen.post("/lapor/saksi", {"witness_name": f"Saksi {n}", "action": "add"})
    assert len(draft_of(citizen)["witnesses"]) == 5
    assert 'name="witness_name"' not in response.get_data(as_text=True)  # the add form is gone at five


def test_steps_without_a_draft_go_to_the_start(client):
    response = client.get("/lapor/pelapor")
    assert response.status_code == 303 and response.headers["Location"].endswith("/lapor/")


def test_abandoned_drafts_are_discarded_with_their_files(citizen, app):
    import datetime as dt
    from pathlib import Path

    from tests.support.citizen import Citizen
    from tests.support.files import png_bytes, upload

    citizen.get("/lapor/kejadian?jenis=formal")
    upload(citizen, ("a.png", png_bytes()))
    digest = draft_of(citizen)["evidence"][0]["blob"]
    Draft.update(updated_at=dt.datetime(2020, 1, 1)).execute()
    someone = Citizen(app.test_client())
    someone.get("/lapor/kejadian?jenis=tip")  # someone else starts a report
    assert Draft.select().count() == 1 and draft_of(someone)["kind"] == "tip"
    assert not (Path(app.config["EVIDENCE_DIR"]) / digest).exists()


def test_an_event_in_another_regency_names_the_competent_office(citizen, accounts, staff_as):
    """Filed at Kota Serang about Lebak: the event step and the review say Bawaslu Lebak handles it and this
    office forwards it; staff see the report is for transfer."""
    citizen.get("/lapor/kejadian?jenis=formal")
    lebak = event_answers(regency="36.02", district="36.02.01", village="", action="refresh")
    page = html.parse(citizen.post("/lapor/kejadian", lebak))
    assert "Bawaslu Kabupaten Lebak" in html.text(page, "#competent") and "dilimpahkan" in html.text(page, "#competent")
    own = html.parse(citizen.post("/lapor/kejadian", event_answers(action="refresh")))
    assert html.text(own, "#competent") == ""  # its own regency: nothing to say
    review = walk_to_review(citizen, event=event_answers(regency="36.02", district="36.02.01", village=""))
    assert "Bawaslu Kabupaten Lebak" in html.text(review, "#competent")
    submit(citizen)
    report = Report.get()
    assert report.transfer_to == "Bawaslu Kabupaten Lebak" and report.office_code == "36.73"
    staff_page = staff_as("petugas").get(f"/staff/laporan/{report.id}").get_data(as_text=True)
    assert "Bawaslu Kabupaten Lebak" in staff_page
