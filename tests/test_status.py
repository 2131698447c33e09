"""The public status lookup: a tracking code in, the public timeline out, no personal data."""
import re

import zxingcpp

from kiosk import tracking
from kiosk.models import Report, StatusEvent
from tests.support import html
from tests.support.citizen import REPORTER, submit, walk_to_review


def filed(citizen):
    walk_to_review(citizen)
    submit(citizen)
    return Report.get()


def test_status_shows_the_timeline_without_personal_data(citizen, client):
    report = filed(citizen)
    StatusEvent.create(report=report, status="kajian_awal", public_note="Sedang dikaji oleh staf.",
                       internal_note="Hubungi pelapor besok", actor="petugas1")
    code = tracking.grouped(report.tracking_code)
    response = client.get("/status", query_string={"kode": code})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.text(page, "#status-result-title") == f"Laporan {report.receipt_no}: Diterima"
    assert html.text(page, ".status-meaning") == "Laporan Anda sudah diterima dan menunggu kajian awal oleh petugas."
    timeline = html.parse(page).select(".timeline > li")
    assert [html.text(li, "strong") for li in timeline] == ["Kajian awal", "Diterima"]  # newest first
    assert [html.texts(li, "p") for li in timeline] == [["Sedang dikaji oleh staf."], []]  # the public note only
    for private in ("Hubungi pelapor besok", "petugas1", REPORTER["reporter_name"], REPORTER["reporter_nik"],
                    "+6281234567890", "0812 3456 7890", "Ahmad Yani", "siti@example.com", "Tim Sukses"):
        assert private not in page
    assert response.headers["Cache-Control"] == "no-store"


def test_code_typed_with_dashes_or_spaces_is_found(citizen, client):
    report = filed(citizen)
    dashed = "-".join(report.tracking_code[i:i + 4] for i in range(0, 16, 4))
    assert html.text(client.get(f"/status?kode={dashed}"), "#status-result-title") == f"Laporan {report.receipt_no}: Diterima"


def test_wrong_check_digit_says_check_the_code(citizen, client):
    report = filed(citizen)
    wrong = report.tracking_code[:-1] + str((int(report.tracking_code[-1]) + 1) % 10)
    page = client.get(f"/status?kode={wrong}").get_data(as_text=True)
    [(target, message)] = html.errors(page)
    assert target == "#kode" and "periksa" in message.lower()
    assert report.receipt_no not in page and not html.has(page, ".status-result")
    [(_, unknown)] = html.errors(client.get(f"/status?kode={tracking.new_code()}"))
    assert message != unknown  # a typo is told apart from a code that is not known


def test_unknown_but_well_formed_code_is_not_found(client):
    page = client.get(f"/status?kode={tracking.new_code()}").get_data(as_text=True)
    assert [target for target, _ in html.errors(page)] == ["#kode"] and not html.has(page, ".timeline")


def test_swapped_neighbours_are_caught_by_the_check_digit():
    code = tracking.new_code()
    for i in range(15):
        if code[i] != code[i + 1]:
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
            assert not tracking.is_well_formed(swapped)


def test_receipt_qr_points_to_the_status_page(citizen, app):
    app.config["PUBLIC_URL"] = "http://lapor.id"
    walk_to_review(citizen)
    receipt = submit(citizen)[0].get_data(as_text=True)
    report = Report.get()
    short = f"HTTP://LAPOR.ID/S/{report.tracking_code}"  # capitals and digits: QR's compact alphanumeric mode
    expected = zxingcpp.create_barcode(short, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    assert expected.to_image().shape == (33, 33)  # version 2: 25 modules and the quiet zone
    path = re.search(r'<path d="([^"]+)"', expected.to_svg()).group(1)
    assert f'<path d="{path}"' in receipt
    assert "http://lapor.id/status" in receipt  # printed for people who type it


def test_the_qr_codes_short_address_leads_to_the_status(citizen, client):
    walk_to_review(citizen)
    submit(citizen)
    report = Report.get()
    response = client.get(f"/S/{report.tracking_code}")
    assert response.status_code == 303
    assert html.text(client.get(response.headers["Location"]), "#status-result-title") == f"Laporan {report.receipt_no}: Diterima"
