"""The day's list and one report: filters (plain GET, or htmx in place), Asia/Jakarta days, masked NIKs,
every field with witnesses and evidence, EXIF-free previews, the checklist, the legal category, assisted
entry, and the audit log that records personal-data views without holding personal data."""
import datetime as dt
import hashlib
import io
import json

import pytest
from PIL import Image

from kiosk import tracking
from kiosk.deadlines import today
from kiosk.models import Report
from kiosk.staff.models import AuditLog
from tests.support.sealed import person
from tests.support.sealed import add_evidence, add_witness
from tests.support import html
from tests.support.citizen import REPORTER, submit, walk_to_review
from tests.support.files import PDF
from tests.support.staff import make_report

TODAYS_LIST = "/staff/?start=" + today().isoformat()  # /staff/ itself opens on the work (test_queue.py)

NIK = REPORTER["reporter_nik"]


@pytest.fixture
def petugas(staff_as):
    return staff_as("petugas")


def utc(*args):
    return dt.datetime(*args)


def listed(page):
    """The receipt numbers in the list's table, top to bottom ([] when the list is empty)."""
    return [row[0] for row in html.rows(page, "table.reports")] if html.has(page, "table.reports") else []


def tally(page, heading_id):
    """{name: count} of one of the list's tallies (`tally-status`, `tally-category`)."""
    return {html.text(li, "span"): int(html.text(li, "strong"))
            for li in html.parse(page).select(f'ul[aria-labelledby="{heading_id}"] > li')}


def test_list_opens_on_todays_reports_newest_first_with_counts(petugas):
    older = make_report(submitted_at=utc(2026, 11, 20, 2, 0))  # another day
    first = make_report(category="politik_uang")
    second = make_report(category="netralitas", status="kajian_awal", kind="tip", reporter_nik="")
    page = html.parse(petugas.get(TODAYS_LIST))
    assert html.text(page, "#results-title") == "Today's reports" and html.text(page, ".result-count") == "2 reports"
    assert listed(page) == [second.receipt_no, first.receipt_no]  # newest first; not the other day's
    by_status = tally(page, "tally-status")
    assert by_status["Received"] == 1 and by_status["Initial review"] == 1 and sum(by_status.values()) == 2
    assert tally(page, "tally-category") == {"Money politics": 1, "Neutrality": 1}
    assert older.receipt_no not in str(page)


def test_list_masks_niks_and_the_report_shows_them_whole(petugas):
    report = make_report()
    listing = petugas.get(TODAYS_LIST).get_data(as_text=True)
    [row] = html.rows(listing, "table.reports")
    assert row[0] == report.receipt_no and "3673********0002" in row
    assert NIK not in listing and REPORTER["reporter_name"] not in listing
    assert NIK in petugas.get(f"/staff/laporan/{report.id}").get_data(as_text=True)


def test_days_follow_asia_jakarta(petugas):
    just_after_midnight = make_report(submitted_at=utc(2026, 11, 19, 17, 30))  # 20 Nov 00.30 WIB
    last_minute = make_report(submitted_at=utc(2026, 11, 20, 16, 59))  # 20 Nov 23.59 WIB
    next_day = make_report(submitted_at=utc(2026, 11, 20, 17, 0))  # 21 Nov 00.00 WIB
    page = petugas.get("/staff/?start=2026-11-20&end=2026-11-20").get_data(as_text=True)
    rows = html.rows(page, "table.reports")
    assert [(row[0], row[1]) for row in rows] == [(last_minute.receipt_no, "23.59"),
                                                  (just_after_midnight.receipt_no, "00.30")]  # not the next day's
    assert html.text(page, "#results-title") == "Reports of November 20, 2026"
    assert next_day.receipt_no not in page


@pytest.mark.parametrize("query,expected", [
    ({"status": "kajian_awal"}, {"review"}),
    ({"category": "netralitas"}, {"tip"}),
    ({"channel": "assisted"}, {"assisted"}),
    ({"kind": "tip"}, {"tip"}),
    ({"kind": "formal", "channel": "web"}, {"web", "review"}),
])
def test_filters_narrow_the_list(petugas, query, expected):
    reports = {
        "web": make_report(),
        "review": make_report(status="kajian_awal"),
        "assisted": make_report(channel="assisted", category="apk"),
        "tip": make_report(kind="tip", category="netralitas", reporter_nik=""),
    }
    page = petugas.get("/staff/", query_string=query).get_data(as_text=True)
    shown = {name for name, report in reports.items() if report.receipt_no in listed(page)}
    assert shown == expected


def test_search_by_receipt_number_or_tracking_code_looks_at_every_date(petugas):
    old = make_report(submitted_at=utc(2026, 3, 2, 3, 0))
    make_report()  # today's, which no search below may find
    for text in (old.receipt_no, tracking.grouped(old.tracking_code), old.tracking_code, "1"):
        page = petugas.get("/staff/", query_string={"q": text}).get_data(as_text=True)
        assert html.links(page, "table.reports") == [f"/staff/laporan/{old.id}"], text
    nothing = petugas.get("/staff/?q=9999")
    assert html.text(nothing, ".result-count") == "0 reports" and listed(nothing) == []


def test_htmx_gets_only_the_list_and_the_address_follows(petugas):
    make_report(status="kajian_awal")
    response = petugas.client.get("/staff/?status=kajian_awal", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert page.lstrip().startswith('<section id="results"') and "<html" not in page
    assert html.text(page, ".result-count") == "1 report" and "HX-Request" in response.headers["Vary"]
    assert response.headers["HX-Push-Url"] == "/staff/?status=kajian_awal"


def test_the_filters_are_a_plain_get_form_enhanced_by_htmx(petugas):
    page = petugas.get(TODAYS_LIST).get_data(as_text=True)
    form = page[page.index('<form method="get" action="/staff/"'):]
    form = form[:form.index(">")]
    assert 'hx-get="/staff/"' in form and 'hx-target="#results"' in form and 'hx-swap="outerHTML"' in form


def test_impossible_dates_are_explained_and_todays_list_shown(petugas):
    make_report()
    page = petugas.get("/staff/?start=2026-11-20&end=2026-11-01").get_data(as_text=True)
    assert [message for _, message in html.errors(page)] == ["The end date cannot be before the start date."]
    assert html.text(page, "#results-title") == "Today's reports" and html.text(page, ".result-count") == "1 report"


def test_report_page_shows_every_field_witnesses_and_evidence(petugas, app):
    report = make_report(terlapor_address="Jl. Veteran 3", terlapor_phone="+6285711112222")
    add_witness(report, "Budi Santoso", "Kp. Baru", "+6281311112222")
    content = _photo()
    add_evidence(report, app.config["EVIDENCE_DIR"], content, "amplop.jpg", "image/jpeg")
    photo = hashlib.sha256(content).hexdigest()  # the receipt's hash, as staff see it
    page = petugas.get(f"/staff/laporan/{report.id}").get_data(as_text=True)
    for text in (report.receipt_no, report.description, report.place_detail, "Tim Sukses Calon Nomor 3",
                 "Campaign team", "Jl. Veteran 3", "+6285711112222", REPORTER["reporter_name"], NIK,
                 REPORTER["reporter_address"], "+6281234567890", "siti@example.com", "Budi Santoso", "Kp. Baru",
                 "+6281311112222", "amplop.jpg", photo, "2 amplop", "Serang, Kota Serang", "Guru"):
        assert text in page, text
    assert f"/staff/laporan/{report.id}/bukti/" in page and "/pratinjau" in page


def test_opening_a_report_is_in_the_audit_log(petugas):
    report = make_report()
    petugas.get(f"/staff/laporan/{report.id}")
    entry = AuditLog.get(AuditLog.action == "view_report")
    assert (entry.actor, entry.target, entry.office_code) == ("petugas", report.receipt_no, "36.73")


def _photo(size=(2000, 1000)):
    """A JPEG taken 'sideways' (EXIF orientation 6) with the camera's make in its EXIF."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° to display
    exif[0x010F] = "KameraRahasia"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_evidence_downloads_as_an_attachment_and_is_logged(petugas, app):
    content = PDF
    report = make_report()
    item = add_evidence(report, app.config["EVIDENCE_DIR"], content, "surat pernyataan.pdf", "application/pdf")
    response = petugas.client.get(f"/staff/laporan/{report.id}/bukti/{item.id}")
    assert response.status_code == 200 and response.data == content
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "surat" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    assert AuditLog.get(AuditLog.action == "download_evidence").target == report.receipt_no
    assert petugas.client.get(f"/staff/laporan/{report.id}/bukti/{item.id}/pratinjau").status_code == 404


def test_photo_preview_is_small_upright_and_without_exif(petugas, app):
    report = make_report()
    item = add_evidence(report, app.config["EVIDENCE_DIR"], _photo(), "foto.jpg", "image/jpeg")
    response = petugas.client.get(f"/staff/laporan/{report.id}/bukti/{item.id}/pratinjau")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    preview = Image.open(io.BytesIO(response.data))
    assert max(preview.size) <= 480 and preview.size[0] < preview.size[1]  # turned upright
    assert not preview.getexif() and b"KameraRahasia" not in response.data


def test_evidence_of_another_report_is_not_found(petugas, app):
    mine, theirs = make_report(), make_report()
    item = add_evidence(theirs, app.config["EVIDENCE_DIR"], _photo((20, 10)), "x.jpg", "image/jpeg")
    assert petugas.client.get(f"/staff/laporan/{mine.id}/bukti/{item.id}").status_code == 404


def test_checklist_is_suggested_from_the_data_and_confirmed_by_staff(petugas):
    report = make_report(status="kajian_awal", kind="tip", reporter_nik="", reporter_name="", physical_evidence="")
    page = petugas.get(f"/staff/laporan/{report.id}").get_data(as_text=True)
    assert "Not confirmed yet" in page
    assert 'name="identity" type="checkbox" value="y" aria-describedby' in page  # unticked, with a hint
    assert 'name="terlapor" type="checkbox" value="y" checked' in page
    assert 'name="evidence" type="checkbox" value="y" aria-describedby' in page  # no files, items or witnesses
    response = petugas.post(f"/staff/laporan/{report.id}/kajian", {
        "terlapor": "y", "deadline": "y", "time_place": "y", "description": "y"})
    assert "The initial-review checklist is confirmed." in response.get_data(as_text=True)
    report = Report.get_by_id(report.id)
    assert report.kajian_checks == {"identity": False, "terlapor": True, "deadline": True, "time_place": True,
                                    "description": True, "evidence": False}
    assert report.kajian_by == "petugas" and report.kajian_at is not None
    assert AuditLog.get(AuditLog.action == "kajian").detail["evidence"] is False


def test_checklist_waits_for_the_review_to_start(petugas):
    report = make_report()
    assert 'action="/staff/laporan/' + str(report.id) + '/kajian"' not in petugas.get(
        f"/staff/laporan/{report.id}").get_data(as_text=True)
    response = petugas.post(f"/staff/laporan/{report.id}/kajian", {"identity": "y"})
    assert "only during the initial review" in response.get_data(as_text=True)
    assert Report.get_by_id(report.id).kajian_checks is None


def test_staff_set_the_legal_category(petugas):
    report = make_report(status="kajian_awal")
    petugas.post(f"/staff/laporan/{report.id}/kategori", {"legal_category": "kode_etik"})
    assert Report.get_by_id(report.id).legal_category == "kode_etik"
    entry = AuditLog.get(AuditLog.action == "legal_category")
    assert entry.detail == {"from": "", "to": "kode_etik"}
    missing = petugas.post(f"/staff/laporan/{report.id}/kategori", {"legal_category": "lain"})
    assert missing.status_code == 400 and len(html.errors(missing)) == 1
    assert Report.get_by_id(report.id).legal_category == "kode_etik"


def test_assisted_entry_uses_the_citizens_form_and_gives_the_same_receipt(petugas):
    response = petugas.post("/staff/bantu", {"kind": "formal"})
    assert response.request.path == "/lapor/kejadian"
    walk_to_review(petugas)
    receipt, _ = submit(petugas)
    report = Report.get()
    assert report.channel == "assisted" and report.kind == "formal" and person(report).reporter_nik == NIK
    assert html.definitions(receipt, ".receipt-facts")["Receipt number"] == report.receipt_no
    assert html.tracking_code(receipt) == report.tracking_code  # the same receipt the person would get
    finished = petugas.post("/lapor/selesai")
    assert finished.request.path == "/staff/"  # back to the list, still signed in
    assert listed(finished) == [report.receipt_no]
    assert AuditLog.get(AuditLog.action == "assisted_start").detail == {"kind": "formal"}


def test_the_audit_log_never_holds_personal_data(staff_as, app):
    admin = staff_as("admin")
    walk_to_review(admin, witnesses=[{"witness_name": "Budi Santoso", "witness_phone": "0813 1111 2222"}])
    submit(admin)
    report = Report.get()
    admin.get(f"/staff/laporan/{report.id}")
    admin.post(f"/staff/laporan/{report.id}/status/kajian_awal", {
        "public_note": "Diproses.", "internal_note": f"Pelapor {REPORTER['reporter_name']} NIK {NIK}"})
    admin.post(f"/staff/laporan/{report.id}/kategori", {"legal_category": "pidana"})
    admin.post("/staff/ekspor", {"start": "2026-01-01", "end": "2026-12-31", "separator": "comma"})
    admin.login("admin", password="3673015508900002")  # someone types a NIK into the password field
    logged = " ".join(f"{e.actor} {e.target} {json.dumps(e.detail)}" for e in AuditLog.select())
    assert AuditLog.select().count() >= 5
    for secret in (NIK, "081234567890", "+6281234567890", "0812 3456 7890", REPORTER["reporter_name"],
                   REPORTER["reporter_address"], "siti@example.com", "Budi Santoso", "+6281311112222"):
        assert secret not in logged, secret
