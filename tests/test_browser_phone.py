"""Photos from the visitor's own phone: the kiosk's evidence step shows a QR code of a one-time link; a second
browser (the phone) opens it and sends a photo, which appears on the kiosk's screen by itself (htmx) or at a
press of "show the files that arrived" (no JavaScript); the link works for that draft only, and not after the
visit ends."""
import io
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image

from kiosk.lapor.phone import PhoneLink, PhoneUpload
from tests.support.browser import WATCH_CSP, check_page, small_targets, wait_until
from tests.support.files import png_bytes
from tests.test_browser_kiosk_screen import screen

pytestmark = pytest.mark.browser

PUBLIC = "https://lapor.bawaslu-serang.example"


@pytest.fixture
def public_url(app):
    app.config["PUBLIC_URL"] = PUBLIC


def kiosk_at_evidence(chromium, live_server, js=True):
    """A kiosk visitor who has begun a tip and reached the evidence step."""
    context, page, _ = screen(chromium, live_server, "kiosk-1920x1080", js=js)
    page.click("a[data-kind=tip]")
    page.wait_for_url("**/lapor/kejadian*")
    page.goto("/lapor/bukti")
    return context, page


def link_path(page):
    """The address in the kiosk's QR code, read back from its picture: (the whole address, its path)."""
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(page.locator(".phone-upload-qr svg").screenshot())))
    assert len(found) == 1
    return found[0].text, urlsplit(found[0].text).path


def phone(chromium, live_server, js=True, width=360):
    context = chromium.new_context(base_url=live_server, viewport={"width": width, "height": 640}, has_touch=True,
                                   locale="id-ID", java_script_enabled=js)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.set_default_timeout(10000)
    return context, page


def send_from_phone(page, path, name, color=(30, 120, 60)):
    page.goto(path)
    page.set_input_files("#files", files=[{"name": name, "mimeType": "image/png", "buffer": png_bytes((64, 48), color)}])
    page.click("button[value=upload]")
    page.wait_for_selector(".notice")


def shown_files(page):
    return page.eval_on_selector_all("#evidence-files li", "items => items.map(i => i.innerText)")


def test_a_photo_sent_from_the_phone_appears_at_the_kiosk(app, chromium, live_server, public_url):
    kiosk, page = kiosk_at_evidence(chromium, live_server)
    check_page(page)
    url, path = link_path(page)
    token = path.rsplit("/", 1)[1]
    assert url.startswith(PUBLIC + "/lapor/unggah/") and len(token) >= 40  # the public address, a random token
    [link] = PhoneLink.select()
    assert link.token_hash != token and token not in link.token_hash  # only its hash is kept

    handset, mobile = phone(chromium, live_server)
    mobile.goto(path)
    assert mobile.inner_text("h1") == "Kirim foto ke kios"
    check_page(mobile)
    assert small_targets(mobile, 44) == []
    send_from_phone(mobile, path, "amplop-di-tps.png")
    assert "1 berkas terkirim" in mobile.inner_text(".notice")
    check_page(mobile)

    wait_until(page, "() => document.querySelectorAll('#evidence-files li').length === 1")  # by itself, no touch
    assert "amplop-di-tps.png" in shown_files(page)[0]
    assert PhoneUpload.select().count() == 0  # taken into the kiosk's (sealed) draft
    database = (app.config["DATA_DIR"] + "/kiosk.sqlite3")
    for suffix in ("", "-wal"):
        try:
            assert b"amplop-di-tps" not in open(database + suffix, "rb").read()  # the name is sealed at rest
        except FileNotFoundError:
            pass
    check_page(page)

    page.click("#step button[value=next]")  # the file stays with the report as the visit goes on
    page.wait_for_url("**/lapor/kontak")
    page.evaluate("document.getElementById('kiosk-reset').submit()")  # the visit ends (idle, start over, done)
    page.wait_for_selector(".kiosk-welcome")
    assert PhoneLink.select().count() == 0  # the visit ended: the link is revoked
    response = mobile.goto(path)
    assert response.status == 410 and "tidak berlaku lagi" in mobile.inner_text("main")
    assert mobile.locator("#files").count() == 0
    check_page(mobile)
    kiosk.close()
    handset.close()


def test_the_link_belongs_to_one_draft(chromium, live_server, public_url):
    """Two visitors at two kiosks: what is sent through the first one's link reaches only the first draft."""
    first, first_page = kiosk_at_evidence(chromium, live_server)
    second, second_page = kiosk_at_evidence(chromium, live_server)
    _, first_path = link_path(first_page)
    _, second_path = link_path(second_page)
    assert first_path != second_path
    handset, mobile = phone(chromium, live_server)
    send_from_phone(mobile, first_path, "milik-pertama.png")
    wait_until(first_page, "() => document.querySelectorAll('#evidence-files li').length === 1")
    second_page.wait_for_timeout(3500)  # a poll later: still nothing at the second kiosk
    assert shown_files(second_page) == []
    for context in (first, second, handset):
        context.close()


def test_without_javascript_on_either_side(chromium, live_server, public_url):
    """The phone sends with JavaScript off at 320 px; the kiosk's plain link shows what arrived."""
    kiosk, page = kiosk_at_evidence(chromium, live_server, js=False)
    _, path = link_path(page)
    handset, mobile = phone(chromium, live_server, js=False, width=320)
    send_from_phone(mobile, path, "tanpa-js.png")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 320
    assert small_targets(mobile, 44) == []
    page.click("text=Tampilkan berkas yang sudah masuk")
    page.wait_for_load_state()
    assert "tanpa-js.png" in shown_files(page)[0]
    kiosk.close()
    handset.close()


def test_without_a_public_address_the_kiosk_says_so(chromium, live_server):
    """Unset (or loopback) KIOSK_PUBLIC_URL: no QR code a phone could not reach, and a sentence that says why."""
    kiosk, page = kiosk_at_evidence(chromium, live_server)
    assert page.locator(".phone-upload-qr").count() == 0
    assert "KIOSK_PUBLIC_URL" in page.inner_text(".phone-upload-off")
    assert PhoneLink.select().count() == 0
    kiosk.close()


def test_a_made_up_link_is_refused(client):
    response = client.get("/lapor/unggah/" + "A" * 43)
    assert response.status_code == 410
    assert "tidak berlaku lagi" in response.get_data(as_text=True)


@pytest.mark.parametrize("locale", ["id-ID", "en-US"])
def test_the_phone_page_in_every_language_and_display(chromium, live_server, public_url, locale):
    """The phone's page at 360 and 320 px, normal and in high contrast with the largest text: axe-core clean,
    targets of 44 px, no sideways scrolling, with its refusal and its confirmation shown."""
    kiosk, page = kiosk_at_evidence(chromium, live_server)
    _, path = link_path(page)
    for width in (360, 320):
        for display in ("", "teks=3&kontras=1"):
            handset, mobile = phone(chromium, live_server, width=width)
            if display:
                mobile.goto(f"/tampilan?{display}")
            if locale == "en-US":
                mobile.goto("/bahasa/en")
            mobile.goto(path)
            mobile.click("button[value=upload]")  # nothing chosen: the problem, named
            mobile.wait_for_selector(".error-summary")
            for state in ("refused", "sent"):
                assert mobile.evaluate("document.documentElement.lang") == locale[:2]
                assert mobile.evaluate("document.documentElement.scrollWidth") <= width, (state, width, display)
                assert small_targets(mobile, 44) == [], (state, width, display)
                check_page(mobile)
                if state == "refused":
                    send_from_phone(mobile, path, f"foto-{width}-{len(display)}.png", color=(width % 250, len(display), 9))
            handset.close()
    kiosk.close()
