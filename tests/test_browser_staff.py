"""A day's review in Chromium: sign in, today's list, a filter updated in place by htmx, a report with
its photo, the checklist, the legal category, status changes to a registration number, the recap,
the export, the audit log and the accounts. axe-core finds nothing and the CSP holds on every page."""
import io

import pytest
from PIL import Image

from kiosk.models import Report
from tests.support.sealed import add_evidence
from tests.support.browser import check_page, choose_radio, press_button, tab_to, type_into, wait_until
from tests.support.staff import STAFF_PASSWORD, make_report

pytestmark = pytest.mark.browser


def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def day(app, accounts):
    """Today's reports: a formal report with a photo, and a tip already under review."""
    report = make_report(channel="kiosk")
    add_evidence(report, app.config["EVIDENCE_DIR"], photo(), "amplop.jpg", "image/jpeg")
    tip = make_report(kind="tip", status="kajian_awal", category="netralitas", reporter_nik="", reporter_name="")
    return report, tip


def sign_in(page, username="admin", password=STAFF_PASSWORD):
    """Open the workspace, get sent to the sign-in, and sign in by keyboard."""
    page.goto("/staff/")
    page.wait_for_url("**/staff/login**")  # not the heading's text: the page may be in Indonesian
    page.wait_for_selector("#username")
    check_page(page)
    type_into(page, "#username", username)
    type_into(page, "#password", password)
    page.keyboard.press("Enter")
    page.wait_for_selector("#queue, .error-summary")


@pytest.mark.parametrize("browser_page", ["en-US"], indirect=True)
def test_a_days_review_in_chromium(browser_page, day):
    page, (report, tip) = browser_page, day

    sign_in(page, password="wrong password")  # a mistake first: the error, read out and accessible
    assert page.is_visible(".error-summary")
    check_page(page)
    type_into(page, "#username", "admin")
    type_into(page, "#password", STAFF_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("#queue")  # the work: both need action
    assert page.is_visible(f"text={report.receipt_no}") and page.is_visible(f"text={tip.receipt_no}")
    check_page(page)
    page.click("text=Every report received, finished ones too, by date")
    page.wait_for_selector("#results")
    assert page.inner_text("#results-title") == "Today's reports"
    check_page(page)

    page.evaluate("window.__sameDocument = true")
    tab_to(page, "#status")
    page.select_option("#status", "kajian_awal")  # htmx swaps the list in place
    wait_until(page, "() => document.querySelector('.result-count').textContent.trim() === '1 report'")
    assert page.evaluate("window.__sameDocument === true") and "status=kajian_awal" in page.url
    assert not page.is_visible(f"text={report.receipt_no}")
    check_page(page)

    page.goto("/staff/")
    page.click(f"text={report.receipt_no}")
    page.wait_for_selector("h1:has-text('Report')")
    wait_until(page, "() => document.querySelector('img.preview').complete")
    assert page.evaluate("document.querySelector('img.preview').naturalWidth") == 480  # the preview, not the file
    check_page(page)

    page.click("a.button:has-text('Initial review')")
    page.wait_for_selector("h1:has-text('Change the status')")
    check_page(page)
    type_into(page, "#public_note", "Laporan Anda sedang dikaji.")
    press_button(page, "form button.button")
    page.wait_for_selector(".flash-success")
    check_page(page)  # the checklist and the legal category are open now

    press_button(page, "#kajian button.button")  # every requirement is met: confirm as suggested
    page.wait_for_selector("text=The initial-review checklist is confirmed.")
    check_page(page)
    choose_radio(page, "legal_category", "pidana")  # the category and the decision, in the same form
    choose_radio(page, "decision", "diregistrasi")
    type_into(page, "#internal_note", "Diteruskan ke Gakkumdu setelah rapat pleno.")
    press_button(page, "#kajian button.button")
    page.wait_for_selector("text=Registration number:")
    number = Report.get_by_id(report.id).registration_no
    assert number.startswith("001/Reg/LP/PL/Kota/36.73/") and page.is_visible(f"strong:has-text('{number}')")
    check_page(page)

    page.goto(f"/staff/laporan/{report.id}/status/kajian_awal")  # a change the workflow refuses
    assert page.is_visible("text=This change is not possible")
    check_page(page)

    page.goto(f"/staff/laporan/{tip.id}/status/tidak_diregistrasi")  # the tip: its checklist is not confirmed
    assert page.is_visible("text=Confirm the initial-review checklist first.")
    check_page(page)

    for url in ("/staff/rekap", "/staff/ekspor", "/staff/bantu", "/staff/akun"):
        page.goto(url)
        check_page(page)
    page.goto("/staff/rekap")
    assert page.is_visible("button[data-print]")

    page.goto("/staff/ekspor")
    with page.expect_download() as download:
        press_button(page, "form button.button")  # today's reports as CSV
    assert download.value.suggested_filename.startswith("laporan-36.73-")
    page.goto("/staff/audit")
    check_page(page)
    page.select_option("#action", "export")
    wait_until(page, "() => document.querySelector('.result-count').textContent.trim() === '1 entry'")
    check_page(page)

    page.goto("/staff/akun")
    page.click("a:has-text('Reset password') >> nth=0")
    page.wait_for_selector("h1:has-text('Reset the password')")
    press_button(page, "form.narrow button.button")  # empty: the error
    page.wait_for_selector(".error-summary")
    check_page(page)

    page.click("text=Sign out")
    page.wait_for_url("**/staff/login")
    check_page(page)


def test_the_list_works_without_javascript(chromium, live_server, day):
    context = chromium.new_context(base_url=live_server, locale="en-US", java_script_enabled=False)
    page = context.new_page()
    page.goto("/staff/login")
    page.fill("#username", "petugas")
    page.fill("#password", STAFF_PASSWORD)
    page.click("button.button")
    page.wait_for_selector("#queue")
    page.click("text=Every report received, finished ones too, by date")
    page.select_option("#kind", "tip")
    page.click("text=Show reports")
    page.wait_for_url("**kind=tip**")
    assert page.inner_text(".result-count") == "1 report"
    context.close()


@pytest.mark.parametrize("browser_page", ["en-US"], indirect=True)
def test_status_error_is_accessible(browser_page, day):
    page, tip = browser_page, day[1]
    sign_in(page)
    page.goto(f"/staff/laporan/{tip.id}")
    press_button(page, "#kajian button.button")
    page.wait_for_selector(".flash-success")
    page.goto(f"/staff/laporan/{tip.id}/status/tidak_diregistrasi")
    press_button(page, "form button.button")  # no reason chosen
    page.wait_for_selector(".error-summary")
    check_page(page)


@pytest.mark.parametrize("browser_page", ["en-US"], indirect=True)
def test_staff_pages_in_high_contrast_and_large_text(browser_page, day):
    import datetime as dt

    from kiosk.deadlines import today

    page, report = browser_page, day[0]
    make_report(kajian_awal_due=today() - dt.timedelta(days=10))  # an overdue row
    sign_in(page)
    assert page.is_visible("tr.overdue")
    page.goto("/tampilan?kontras=1&teks=3&next=/staff/")
    wait_until(page, "() => document.documentElement.className.split(' ').includes('staff')")
    assert page.evaluate("document.documentElement.className") == "text-3 contrast staff"
    check_page(page)  # the overdue rows, counts and navigation keep their contrast
    page.goto(f"/staff/laporan/{report.id}")
    check_page(page)


@pytest.mark.parametrize("browser_page", ["en-US"], indirect=True)
def test_setting_up_two_factor_then_signing_in_with_the_code_in_chromium(browser_page, accounts):
    import pyotp

    page = browser_page
    sign_in(page, username="petugas")
    page.goto("/staff/saya")
    press_button(page, "form[action$='/dua-langkah/mulai'] button")
    page.wait_for_selector(".totp-qr svg")
    check_page(page)  # the QR code has its text alternative; the steps read in order
    secret = page.inner_text(".totp-secret").strip()
    type_into(page, "#code", pyotp.TOTP(secret).now())
    page.keyboard.press("Enter")
    page.wait_for_selector(".recovery-codes code")
    assert len(page.query_selector_all(".recovery-codes code")) == 10
    check_page(page)

    press_button(page, ".staff-user button")  # sign out
    page.wait_for_url("**/staff/login**")
    type_into(page, "#username", "petugas")
    type_into(page, "#password", STAFF_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Second step of signing in')")
    check_page(page)
    type_into(page, "#code", "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    check_page(page)  # the wrong code's message, accessible
    type_into(page, "#code", pyotp.TOTP(secret).now())
    page.keyboard.press("Enter")
    page.wait_for_selector("#queue")
    assert page.inner_text("h1") == "The work"
