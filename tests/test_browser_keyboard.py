"""The kiosk's on-screen keyboard: it comes up under a text field that has focus, types where the caret is
(letters, shift, digits, @, / and space), deletes, closes and comes back; the date's boxes get a number pad;
screen readers hear it open and close; every key is a finger's size; and it never shows outside kiosk mode."""
import pytest

from tests.support.browser import check_page, small_targets, wait_until
from tests.test_browser_kiosk_screen import screen

pytestmark = pytest.mark.browser


def at_the_event_step(chromium, live_server, name="kiosk-1920x1080"):
    context, page, _ = screen(chromium, live_server, name)
    page.click("a[data-kind=tip]")
    page.wait_for_url("**/lapor/kejadian*")
    return context, page


def press(page, *keys):
    """Touch keys of the on-screen keyboard by what they show."""
    for key in keys:
        page.locator("[data-osk] [data-osk-layout]:not([hidden])").get_by_role("button", name=key, exact=True).click()


def test_typing_an_address_with_the_on_screen_keyboard(chromium, live_server):
    context, page = at_the_event_step(chromium, live_server)
    assert not page.is_visible("[data-osk]")
    page.click("#place_detail")
    assert page.is_visible("[data-osk-layout=text]") and not page.is_visible("[data-osk-layout=numeric]")
    wait_until(page, "() => document.getElementById('announcer').textContent === 'Papan ketik di layar terbuka'")
    assert page.get_attribute("[data-osk]", "role") == "region"  # a landmark a screen reader can jump to
    assert page.get_attribute("[data-osk]", "aria-label") == "Papan ketik di layar"

    press(page, "Huruf besar")
    assert page.get_attribute("[data-osk-shift]", "aria-pressed") == "true"
    press(page, "R")  # one capital, then small letters again
    assert page.get_attribute("[data-osk-shift]", "aria-pressed") == "false"
    press(page, "t", "Spasi", "0", "2", "/", "0", "5", "x", "Hapus huruf terakhir")
    assert page.input_value("#place_detail") == "Rt 02/05"
    assert page.evaluate("document.activeElement.id") == "place_detail"  # the keys never took the focus

    page.click("#description")  # another field: the keys type there, its letter counter follows
    press(page, "u", "a", "n", "g", "Spasi", "@")
    assert page.input_value("#description") == "uang @"
    assert "6" in page.inner_text("#description-count")
    check_page(page)
    assert small_targets(page, 48) == []  # the keys too

    press(page, "Tutup papan ketik")
    assert not page.is_visible("[data-osk]")
    assert page.evaluate("document.activeElement.id") == "description"
    page.click("#description")  # a touch on the field brings it back
    assert page.is_visible("[data-osk-layout=text]")
    page.check("#category-0")  # a choice, not a text: the keyboard goes
    assert not page.is_visible("[data-osk]")
    context.close()


def test_the_dates_boxes_get_a_number_pad(chromium, live_server):
    context, page = at_the_event_step(chromium, live_server, "kiosk-1080x1920")
    page.click("#occurred_on-day")
    assert page.is_visible("[data-osk-layout=numeric]") and not page.is_visible("[data-osk-layout=text]")
    press(page, "1", "7")
    page.click("#occurred_on-month")
    press(page, "1", "1", "Hapus angka terakhir", "2")
    assert [page.input_value(f"#occurred_on-{part}") for part in ("day", "month")] == ["17", "12"]
    box = page.locator("[data-osk-layout=numeric] button").first.bounding_box()
    assert box["width"] >= 48 and box["height"] >= 48
    check_page(page)
    context.close()


def test_no_keyboard_outside_kiosk_mode(chromium, live_server):
    context, page, _ = screen(chromium, live_server, "phone-360x640")
    loaded = []
    page.on("request", lambda request: loaded.append(request.url))
    page.goto("/lapor/kejadian?jenis=tip")
    page.click("#place_detail")
    assert page.locator("[data-osk]").count() == 0
    assert not any("keyboard" in url for url in loaded)
    context.close()
