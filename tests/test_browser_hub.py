"""The provincial workspace in Chromium, in Indonesian and English: a hub holding two offices' reports
(one office synced two hours ago, one 37 hours ago) and one office that never synced; provincial staff
sign in, read the overview with the stale offices marked, open an office's list, filter it in place,
open a report (read-only, with its photo), then the recap, export, audit log and accounts. axe-core
finds nothing and the CSP holds on every page, in high contrast too."""
import datetime as dt
import io

import pytest
from PIL import Image

from kiosk.models import utcnow
from tests.support.sealed import add_evidence
from tests.support.browser import check_page, tab_to, type_into, wait_until
from tests.support.staff import STAFF_PASSWORD, make_hub_office, make_report, make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def app(hub_app):
    """The hub (on each kind of database), served by the live server fixture in place of an office."""
    return hub_app


@pytest.fixture
def province(app):
    """Kota Serang synced 2 hours ago (a report with a photo, a tip in review), Pandeglang 37 hours ago
    (a report of 3 days ago), Lebak registered but never synced; a provincial admin."""
    make_staff("prov-admin", "admin", office="36")
    make_hub_office("36.73", ok_hours_ago=2)
    make_hub_office("36.01", ok_hours_ago=37, attempt_hours_ago=1, result="error: bad signature")
    make_hub_office("36.02")
    report = make_report("36.73", channel="kiosk")
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 90, 160)).save(buffer, "JPEG")
    add_evidence(report, app.config["EVIDENCE_DIR"], buffer.getvalue(), "amplop.jpg", "image/jpeg")
    tip = make_report("36.73", kind="tip", status="kajian_awal", category="netralitas", reporter_nik="")
    pandeglang = make_report("36.01", submitted_at=utcnow() - dt.timedelta(days=3), regency_code="36.01",
                             district_code="36.01.01", village_code="")
    return report, tip, pandeglang


def sign_in(page):
    """Open the workspace, get sent to the sign-in (the hub's office chosen already), sign in by keyboard."""
    page.goto("/staff/")
    page.wait_for_url("**/staff/login**")
    assert page.eval_on_selector("#office", "el => el.value") == "36"
    check_page(page)
    type_into(page, "#username", "prov-admin")
    type_into(page, "#password", STAFF_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("table.offices")


@pytest.mark.parametrize("browser_page", ["id-ID", "en-US"], indirect=True)
def test_provincial_staff_read_every_office_in_chromium(browser_page, province):
    page, (report, tip, pandeglang) = browser_page, province
    sign_in(page)
    assert page.is_visible("tr#office-36-01.stale .stale-text") and page.is_visible("tr#office-36-02.stale")
    assert not page.is_visible("tr#office-36-73.stale")
    assert page.is_visible(".notice-stale a[href='#office-36-01']")
    check_page(page)

    page.click("tr#office-36-01 th a")  # Pandeglang's last 7 days
    page.wait_for_selector("#results")
    assert page.is_visible(f"text={pandeglang.receipt_no}") and not page.is_visible(f"text={report.receipt_no}")
    check_page(page)

    page.evaluate("window.__sameDocument = true")
    tab_to(page, "#office")
    page.select_option("#office", "36.73")  # htmx swaps the list in place
    wait_until(page, "id => location.search.includes('office=36.73') && !!document.querySelector(`a[href$='${id}']`)",
               str(report.id))
    assert page.evaluate("window.__sameDocument === true")
    assert page.is_visible(f"text={tip.receipt_no}") and not page.is_visible(f"text={pandeglang.receipt_no}")
    check_page(page)

    page.click(f"text={report.receipt_no}")
    page.wait_for_selector("#read-only")
    wait_until(page, "() => document.querySelector('img.preview').complete")
    assert page.evaluate("document.querySelector('img.preview').naturalWidth") == 480
    assert page.evaluate("Array.from(document.forms).map(f => f.getAttribute('action'))") == ["/staff/logout"]
    check_page(page)

    for url in ("/staff/laporan", "/staff/rekap", "/staff/rekap?office=36.01", "/staff/ekspor", "/staff/audit",
                "/staff/akun"):
        page.goto(url)
        check_page(page)

    page.goto("/tampilan?kontras=1&teks=3&next=/staff/")  # high contrast: the stale rows keep their contrast
    wait_until(page, "() => document.documentElement.className.split(' ').includes('contrast')")
    page.wait_for_selector("table.offices")
    check_page(page)


def test_the_hub_works_without_javascript(chromium, live_server, province):
    report, tip, pandeglang = province
    context = chromium.new_context(base_url=live_server, locale="en-US", java_script_enabled=False)
    page = context.new_page()
    page.goto("/staff/login")
    page.fill("#username", "prov-admin")
    page.fill("#password", STAFF_PASSWORD)
    page.click("form.narrow button.button")
    page.wait_for_selector("table.offices")
    page.click("nav.staff-nav a[href='/staff/laporan']")
    page.select_option("#office", "36.73")
    page.click("text=Show reports")
    page.wait_for_url("**office=36.73**")
    assert page.inner_text(".result-count") == "2 reports"
    page.click(f"text={report.receipt_no}")
    page.wait_for_selector("#read-only")
    context.close()
