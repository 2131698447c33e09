"""The kiosk and the phone as their users live them, in Chromium: the idle guard that wipes a
visit, and photos shrunk before they cross a slow line, with a retry when the line drops."""
import io

import pytest
from PIL import Image

from kiosk.models import Draft, Evidence
from tests.support.sealed import draft_file, draft_in_browser
from tests.support.browser import check_page, wait_until

pytestmark = pytest.mark.browser
SECRET = "Amplop dari tim sukses nomor 9 di RT 04"


@pytest.fixture
def quick_idle(app):
    app.config.update(IDLE_WARN_SECONDS=2, IDLE_RESET_SECONDS=5)


def start_report(page):
    page.goto("/kiosk")
    page.click("a[data-kind=formal]")
    page.wait_for_url("**/lapor/kejadian*")


def test_idle_kiosk_warns_then_wipes_everything(browser_page, quick_idle):
    page = browser_page
    start_report(page)
    page.fill("#description", SECRET)
    page.click("#step button[value=next]")  # saved in the draft, with errors for the rest
    page.wait_for_selector(".error-summary")
    assert Draft.select().count() == 1
    page.fill("#place_detail", "Rumah Pak RT")  # typed, not yet sent

    page.wait_for_selector("#idle-dialog[open]", timeout=5000)
    check_page(page)
    assert SECRET in page.content()  # still there while the person may come back

    wait_until(page, "() => !!document.querySelector('.kiosk-welcome')", timeout=8)
    assert SECRET not in page.content() and "Rumah Pak RT" not in page.content()
    assert Draft.select().count() == 0
    page.go_back()
    page.wait_for_load_state()
    assert SECRET not in page.content() and "Rumah Pak RT" not in page.content()


def test_continue_keeps_the_visit(browser_page, quick_idle):
    page = browser_page
    start_report(page)
    page.fill("#description", SECRET)
    page.click("#step button[value=next]")
    page.wait_for_selector("#idle-dialog[open]", timeout=5000)
    page.click("[data-idle-continue]")
    assert not page.is_visible("#idle-dialog")
    page.wait_for_timeout(3500)  # past the reset time of the first countdown
    assert page.url.endswith("/lapor/kejadian") and Draft.select().count() == 1
    assert SECRET in page.input_value("#description")


def test_receipt_finish_returns_the_kiosk_to_its_start_screen(browser_page, citizen):
    from tests.support.walk import walk_formal

    page = browser_page
    page.goto("/kiosk")
    walk_formal(page, lambda page, name: None, kiosk=True)
    page.click("form[data-finish] button")
    page.wait_for_selector(".kiosk-welcome")
    assert "tracking-code" not in page.content()


def big_photo(width=3200, height=2400):
    image = Image.effect_noise((width // 4, height // 4), 90).convert("RGB").resize((width, height))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def goto_evidence(page):
    page.goto("/lapor/")
    page.click("a[data-kind=tip]")
    page.wait_for_url("**/lapor/kejadian*")
    page.goto("/lapor/bukti")


def test_save_data_shrinks_photos_before_upload(browser_page, app):

    page = browser_page
    goto_evidence(page)
    photo = big_photo()
    assert page.is_visible("[data-save-data]") and page.is_checked("#save-data")
    page.set_input_files("#files", files=[{"name": "tps.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    wait_until(page, "() => document.querySelector('[data-shrink-result]').textContent.length > 0")
    check_page(page)
    page.click("button[value=upload]")
    page.wait_for_selector(".items")
    stored = draft_in_browser(page, app)["evidence"]
    assert len(stored) == 1 and stored[0]["size"] < len(photo) / 3 and stored[0]["filename"] == "tps.jpg"
    with Image.open(io.BytesIO(draft_file(app, stored[0]))) as image:
        assert image.format == "JPEG" and max(image.size) == 1600


def test_save_data_off_sends_the_original(browser_page, app):

    page = browser_page
    goto_evidence(page)
    photo = big_photo(2000, 1500)
    page.uncheck("#save-data")
    page.set_input_files("#files", files=[{"name": "asli.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    page.click("button[value=upload]")
    page.wait_for_selector(".items")
    stored = draft_in_browser(page, app)["evidence"][0]
    assert stored["size"] == len(photo)
    assert draft_file(app, stored) == photo


def test_failed_upload_can_be_retried_without_losing_the_draft(browser_page, app):
    page = browser_page
    goto_evidence(page)
    page.check("#physical")
    page.fill("#physical_desc", "Dua amplop")
    page.set_input_files("#files", files=[{"name": "a.png", "mimeType": "image/png", "buffer": png()}])
    page.route("**/lapor/bukti", lambda route: route.abort("connectionreset"))
    page.click("button[value=upload]")
    page.wait_for_selector("[data-upload-error]:not([hidden])")
    check_page(page)
    assert page.evaluate("document.getElementById('files').files.length") == 1  # still chosen
    page.unroute("**/lapor/bukti")
    page.click("button[value=upload]")
    page.wait_for_selector(".items")
    draft = draft_in_browser(page, app)
    assert [item["filename"] for item in draft["evidence"]] == ["a.png"]
    assert draft["fields"]["physical_desc"] == "Dua amplop"
    assert Evidence.select().count() == 0  # nothing is evidence until the report is sent


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()
