"""The formal report in Chromium with htmx: keyboard only, in both languages, axe-core clean at
every step, with errors shown, and on the receipt."""
import io

import pytest
import zxingcpp
from PIL import Image

from kiosk.models import Report, Witness
from tests.support.sealed import witnesses
from tests.support.browser import (
    check_page,
    choose_option,
    choose_radio,
    press_button,
    tab_to,
    type_date,
    type_into,
    wait_for_step,
    wait_until,
)
from tests.support.citizen import REPORTER, days_ago

pytestmark = pytest.mark.browser

HEADINGS = {
    "id-ID": {"kejadian": "Apa yang terjadi?", "receipt": "Laporan Anda sudah diterima"},
    "en-US": {"kejadian": "What happened?", "receipt": "Your report has been received"},
}


def fill_event(page):
    choose_radio(page, "category", "politik_uang")
    type_date(page, "#occurred_on", days_ago(3))
    type_date(page, "#learned_on", days_ago(2))
    choose_option(page, "#regency", "36.73")
    wait_until(page, "() => document.querySelectorAll('#district option').length > 1")
    choose_option(page, "#district", "36.73.02")
    wait_until(page, "() => document.querySelectorAll('#village option').length > 1")
    choose_option(page, "#village", "36.73.02.1001")
    type_into(page, "#place_detail", "Lapangan dekat TPS 12")
    type_into(page, "#description", "Tim sukses membagikan amplop berisi uang kepada warga yang antre.")


def fill_reporter(page):
    choose_radio(page, "reporter_type", REPORTER["reporter_type"])
    for name in ("reporter_name", "reporter_nik", "reporter_birth_place"):
        type_into(page, f"#{name}", REPORTER[name])
    type_date(page, "#reporter_birth_date", REPORTER["reporter_birth_date"])
    choose_radio(page, "reporter_sex", REPORTER["reporter_sex"])
    type_into(page, "#reporter_occupation", REPORTER["reporter_occupation"])
    for name in ("reporter_address", "reporter_phone", "reporter_email"):
        type_into(page, f"#{name}", REPORTER[name])


@pytest.mark.parametrize("browser_page", ["id-ID", "en-US"], indirect=True)
def test_formal_report_by_keyboard_with_htmx(browser_page, app):
    app.config["PUBLIC_URL"] = "http://lapor.example.go.id"  # the office's address, not the test's loopback
    page = browser_page
    page.goto("/lapor/")
    check_page(page)
    press_button(page, "a[data-kind=formal]")
    page.wait_for_url("**/lapor/kejadian*")
    heading = page.inner_text("h1")
    locale = "id-ID" if heading == HEADINGS["id-ID"]["kejadian"] else "en-US"
    assert heading == HEADINGS[locale]["kejadian"]
    page.evaluate("window.__sameDocument = true")  # lost on any full page load
    check_page(page)

    press_button(page, "button[value=next]")  # nothing filled in: the errors, in place
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    check_page(page)

    fill_event(page)
    press_button(page, "button[value=next]")
    wait_for_step(page, "/lapor/terlapor")
    wait_until(page, "() => document.getElementById('announcer').textContent === document.querySelector('h1').textContent")
    check_page(page)
    type_into(page, "#terlapor_name", "Tim Sukses Calon Nomor 3")
    choose_radio(page, "terlapor_role", "tim_kampanye")
    press_button(page, "button[value=next]")

    wait_for_step(page, "/lapor/saksi")
    check_page(page)
    type_into(page, "#witness_name", "Budi Santoso")
    press_button(page, "button[value=add]")
    page.wait_for_selector("text=Budi Santoso")
    check_page(page)
    press_button(page, "button[value=next]")

    wait_for_step(page, "/lapor/bukti")
    check_page(page)
    press_button(page, "button[value=next]")

    wait_for_step(page, "/lapor/pelapor")
    check_page(page)
    fill_reporter(page)
    press_button(page, "button[value=next]")

    wait_for_step(page, "/lapor/periksa")
    check_page(page)
    assert REPORTER["reporter_nik"] in page.inner_text("#step")
    tab_to(page, "#declared_true")
    page.keyboard.press("Space")
    press_button(page, "button[value=send]")

    wait_for_step(page, "/lapor/tanda-terima")
    assert page.inner_text("h1") == HEADINGS[locale]["receipt"]
    check_page(page)
    assert page.evaluate("window.__sameDocument === true")  # every step swapped in place
    code = page.inner_text(".tracking-code").replace(" ", "")
    report = Report.get()
    assert report.tracking_code == code and report.kind == "formal"
    assert report.language == locale[:2]
    assert [w.name for w in witnesses(report)] == ["Budi Santoso"] and Witness.select().count() == 1
    assert page.is_visible("button[data-print]")  # the print button appears with JavaScript
    shot = Image.open(io.BytesIO(page.locator("figure.qr svg").screenshot()))
    scanned = zxingcpp.read_barcodes(shot)  # the QR code, as a phone's camera would read it
    assert [found.text for found in scanned] == [f"HTTP://LAPOR.EXAMPLE.GO.ID/S/{code}"]


def test_status_page_is_accessible_with_a_result_and_an_error(browser_page, citizen):
    from tests.support.citizen import submit, walk_to_review

    walk_to_review(citizen)
    submit(citizen)
    report = Report.get()
    page = browser_page
    page.goto("/status")
    check_page(page)
    type_into(page, "#kode", "1234 5678 9012 3456")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    check_page(page)
    page.goto(f"/status?kode={report.tracking_code}")
    assert page.is_visible(".timeline")
    check_page(page)


def test_landing_and_error_pages_are_accessible(browser_page):
    page = browser_page
    page.goto("/")
    check_page(page)
    page.goto("/tidak-ada")
    check_page(page)


def test_villages_narrow_to_the_chosen_district_and_follow_the_regency(browser_page):
    page = browser_page
    page.goto("/lapor/")
    page.click("a[data-kind=tip]")
    page.wait_for_url("**/lapor/kejadian*")
    assert page.input_value("#regency") == "36.73"  # the office's own regency comes chosen
    wait_until(page, "() => document.querySelectorAll('#village optgroup').length === 0")  # no district yet
    page.select_option("#district", "36.73.02")
    groups = page.evaluate("Array.from(document.querySelectorAll('#village optgroup')).map(g => g.label)")
    assert groups == ["Kasemen"]
    page.select_option("#regency", "36.01")  # Pandeglang: its districts arrive, its villages out of band
    wait_until(page, "() => document.querySelector('#district option[value=\"36.01.01\"]') !== null")
    page.select_option("#district", "36.01.01")
    wait_until(page, "() => document.querySelectorAll('#village optgroup').length === 1")
    villages = page.evaluate("Array.from(document.querySelectorAll('#village option')).map(o => o.value)")
    assert len(villages) > 2 and all(v.startswith("36.01.01.") for v in villages[1:])
    check_page(page)
