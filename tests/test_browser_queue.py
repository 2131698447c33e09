"""The office's day in Chromium at 1366×768: sign in, the work with its counts, a report opened beside its
review form, and from 'Received' to 'Registered' in at most 3 page loads after opening it; then the next
report; axe-core finds nothing and the CSP holds on every page."""
import pytest

from tests.support.browser import check_page, choose_radio, press_button, type_into
from tests.support.staff import STAFF_PASSWORD, make_report

pytestmark = pytest.mark.browser


def test_from_sign_in_to_registered_in_three_page_loads_at_1366(chromium, live_server, accounts):
    from tests.support.browser import WATCH_CSP

    report, other = make_report(), make_report()
    context = chromium.new_context(base_url=live_server, locale="en-US", viewport={"width": 1366, "height": 768})
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.set_default_timeout(10000)
    page.goto("/staff/login")
    type_into(page, "#username", "petugas")
    type_into(page, "#password", STAFF_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("#queue")
    assert "2 due within 7 days" in page.inner_text(".due-counts")
    # the filters and search take one line: the table starts on the first screen
    assert page.locator("table.queue").bounding_box()["y"] < 768
    check_page(page)

    page.click(f"text={report.receipt_no}")
    page.wait_for_selector(".report-work #kajian")
    loads = []
    page.on("load", lambda _page: loads.append(page.url))
    main, work = page.locator(".report-main").bounding_box(), page.locator(".report-work").bounding_box()
    assert work["x"] > main["x"] + main["width"] - 1  # two columns: the report, and the work beside it
    assert page.locator("#kajian h2").bounding_box()["y"] < 768  # the review is on the first screen
    check_page(page)

    choose_radio(page, "legal_category", "pidana")
    choose_radio(page, "decision", "diregistrasi")
    press_button(page, "#kajian button.button")
    page.wait_for_selector("text=Registration number:")
    assert page.is_visible(".status-badge.status-diregistrasi")
    assert len(loads) <= 3, loads
    check_page(page)

    page.click(f"text=Next report in the queue: {other.receipt_no}")
    page.wait_for_selector(f"h1:has-text('{other.receipt_no}')")
    check_page(page)
    context.close()
