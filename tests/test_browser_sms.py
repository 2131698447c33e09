"""SMS in Chromium: the how-to on the landing page and the poster, in Indonesian; the staff's SMS inbox,
making a message a tip by keyboard, and the reply box on the tip's page. axe-core finds nothing and the CSP
holds on every page."""
import pytest

from kiosk.models import Report
from kiosk.sms.models import SmsMessage
from tests.support.browser import check_page, press_button, type_into
from tests.support.sms import sent, waiting_message
from tests.support.staff import STAFF_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def modem(app, tmp_path):
    inbox, outbox = tmp_path / "inbox", tmp_path / "outbox"
    inbox.mkdir()
    outbox.mkdir()
    app.config.update(SMSD_INBOX=str(inbox), SMSD_OUTBOX=str(outbox), SMS_NUMBER="0812-1111-2222")
    return inbox, outbox


def test_citizens_read_how_to_report_by_sms(browser_page, modem):
    page = browser_page
    page.goto("/")
    how = page.inner_text(".sms-how")
    assert "0812-1111-2222" in how and "LAPOR" in how and "STATUS" in how and "STOP" in how
    assert "Lapor lewat SMS" in how  # Indonesian first
    check_page(page)
    page.goto("/sms")
    assert page.inner_text(".sms-poster-number") == "0812-1111-2222"
    check_page(page)


def test_staff_make_an_sms_a_tip_and_answer_it_in_chromium(browser_page, app, accounts, modem):
    page, (_inbox, outbox) = browser_page, modem
    with app.app_context():
        waiting_message(text="Ada kepala desa kampanye di acara pengajian", number="+6281234567890")
    page.goto("/staff/sms")
    page.wait_for_selector("#username")
    type_into(page, "#username", "petugas")
    type_into(page, "#password", STAFF_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector(".sms-messages")
    assert "kepala desa kampanye" in page.inner_text(".sms-messages")
    check_page(page)
    press_button(page, ".sms-message form[action$='/tip'] button")
    page.wait_for_selector("#sms")
    report = Report.get()
    assert report.channel == "sms" and SmsMessage.get().state == "converted"
    check_page(page)
    type_into(page, "#sms-text", "Kapan acara pengajiannya? Balas SMS ini.")
    press_button(page, "#sms form button")
    page.wait_for_selector("#sms .sms-out >> nth=1")
    # The receipt and the reply can share a second, and then their names sort by the random note: the order
    # within one second is gammu-smsd's, so the test asks only that both wait in the outbox.
    messages = sent(outbox)
    assert len(messages) == 2 and ("+6281234567890", "Kapan acara pengajiannya? Balas SMS ini.") in messages
    check_page(page)
