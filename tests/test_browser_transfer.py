"""Transferring a report in Chromium, by keyboard: the transfer page sent without an office or a reason (a report
about the office's own city: nothing is chosen for staff) and both asked for, then an office and a reason chosen,
the report's read-only copy and the reporter's status page in Indonesian. axe-core finds nothing and the CSP holds on every page."""
import pytest

from kiosk.models import Report
from tests.support.browser import check_page, choose_radio, press_button
from tests.support.staff import make_report
from tests.test_browser_staff import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("browser_page", ["en-US"], indirect=True)
def test_staff_transfer_a_report_by_keyboard(browser_page, accounts):
    page = browser_page
    report = make_report()  # about Kota Serang, filed there; staff know it belongs to Lebak
    sign_in(page)
    page.goto(f"/staff/laporan/{report.id}")
    page.click("text=Transferred")
    page.wait_for_selector("input[name=office]")
    assert page.query_selector("input[name=office]:checked") is None
    check_page(page)

    press_button(page, "form button.button")  # neither chosen: both asked for, nothing changed
    page.wait_for_selector(".error-summary")
    problems = page.inner_text(".error-summary")
    assert "Choose the office it is transferred to." in problems and "Choose why it is transferred." in problems
    assert Report.get_by_id(report.id).status == "diterima"
    check_page(page)

    choose_radio(page, "office", "36.02")  # another office than the suggested one
    choose_radio(page, "transfer_reason", "kewenangan")
    press_button(page, "form button.button")
    page.wait_for_selector("#pelimpahan")
    assert "Transferred to Bawaslu Kabupaten Lebak." in page.inner_text("#pelimpahan")
    assert Report.get_by_id(report.id).transfer_office == "36.02"
    check_page(page)

    page.goto("/bahasa/id?next=/")
    page.goto(f"/status?kode={report.tracking_code}")
    assert "Laporan Anda dilimpahkan ke Bawaslu Kabupaten Lebak" in page.inner_text("main")
    check_page(page)
