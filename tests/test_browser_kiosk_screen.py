"""The corner as its visitors meet it, in Chromium at the kiosk's 1920×1080 and 1080×1920 and on 360 and
320 px phones: targets a finger can hit, a receipt that prints by itself and is never lost to the idle reset,
the 80 mm thermal receipt on one short page, dates typed as three boxes without JavaScript."""
import io
import re

import pytest
import zxingcpp
from PIL import Image

from kiosk.models import Report
from tests.support.browser import check_page, kiosk_printing, small_targets, wait_until
from tests.support.files import jpeg_bytes, png_bytes
from tests.support.walk import walk_formal, walk_late_to_tip
from tests.test_browser_pages import status_pages

pytestmark = pytest.mark.browser

SCREENS = {  # name: (viewport, kiosk, smallest target in CSS px)
    "kiosk-1920x1080": ({"width": 1920, "height": 1080}, True, 48),
    "kiosk-1080x1920": ({"width": 1080, "height": 1920}, True, 48),
    "phone-360x640": ({"width": 360, "height": 640}, False, 44),
    "phone-320x640": ({"width": 320, "height": 640}, False, 44),
}


def screen(chromium, live_server, name, locale="id-ID", js=True):
    """A fresh profile at one of SCREENS; a kiosk enters kiosk mode (the test server is on a kiosk address)."""
    from tests.support.browser import WATCH_CSP

    viewport, kiosk, _ = SCREENS[name]
    context = chromium.new_context(base_url=live_server, viewport=viewport, has_touch=True, locale=locale,
                                   java_script_enabled=js)
    context.add_init_script(WATCH_CSP)
    prints = kiosk_printing(context) if js else []
    page = context.new_page()
    page.set_default_timeout(10000)
    if kiosk:
        page.goto("/kiosk")
    return context, page, prints


THEMES = {"normal": "", "contrast-largest": "teks=3&kontras=1"}  # the display choices of every page
# Each main screen in Indonesian as most see it, and in English (longer words) at the largest text in high
# contrast (the widest boxes): the two ends of what can overflow. The portrait kiosk and the smallest phone once.
CASES = [(name, *variant) for name in ("kiosk-1920x1080", "phone-360x640")
         for variant in (("id-ID", "normal"), ("en-US", "contrast-largest"))] + [
    ("kiosk-1080x1920", "id-ID", "normal"), ("phone-320x640", "id-ID", "normal")]


@pytest.mark.parametrize("name, locale, theme", CASES, ids=["-".join(case) for case in CASES])
def test_every_target_is_big_enough_for_a_finger(app, chromium, live_server, name, locale, theme):
    """Every step (the deadline notice and a tip's contact too), each review, each receipt and the status
    pages, in Indonesian and English, normal and in high contrast with the largest text: no target under
    48×48 at the kiosk (the on-screen keyboard's keys and the phone link's panel included) or 44×44 on a phone
    (WCAG 2.5.5), axe-core clean, and no sideways scrolling."""
    app.config["PUBLIC_URL"] = "https://lapor.bawaslu-serang.example"  # the kiosk shows its phone link
    context, page, _ = screen(chromium, live_server, name, locale=locale)
    limit, too_small, too_wide, seen = SCREENS[name][2], [], [], []
    if THEMES[theme]:
        page.goto(f"/tampilan?{THEMES[theme]}")

    def visit(page, step):
        too_small.extend((step, *found) for found in small_targets(page, limit))
        if page.evaluate("document.documentElement.scrollWidth") > SCREENS[name][0]["width"]:
            too_wide.append(step)
        check_page(page)
        assert page.evaluate("document.documentElement.lang") == locale[:2], step
        seen.append(step)

    kiosk = SCREENS[name][1]
    code = walk_formal(page, visit, kiosk=kiosk, files=[photo("tps.png")])
    if kiosk:
        assert page.evaluate("document.documentElement.classList.contains('osk-open')")  # the keyboard was up
    status_pages(page, code, visit)
    walk_late_to_tip(page, visit)
    context.close()
    assert too_small == [] and too_wide == [], (too_small, too_wide)
    assert {"evidence", "deadline passed", "contact", "receipt (tip)", "status with the timeline"} <= set(seen)


def test_the_phone_header_is_one_line(chromium, live_server):
    context, page, _ = screen(chromium, live_server, "phone-360x640")
    page.goto("/lapor/")
    header = page.eval_on_selector(".site-header", "e => e.getBoundingClientRect().height")
    assert header <= 56, header  # was 180 px of a 640 px screen
    page.click(".prefs a[hreflang=en]")  # in the same line, swiped into view if need be
    page.wait_for_url("**/lapor/")
    assert page.inner_text("h1") == "Make a report"
    context.close()


def test_the_kiosk_uses_its_wide_screen(chromium, live_server):
    """At 1920 px the form runs in two columns of the screen's width; the review keeps its send button on
    screen while the answers scroll."""
    context, page, _ = screen(chromium, live_server, "kiosk-1920x1080")
    page.click("a[data-kind=formal]")
    page.wait_for_url("**/lapor/kejadian*")
    assert page.eval_on_selector("#main", "e => e.getBoundingClientRect().width") > 1400
    category = page.eval_on_selector("#category-0", "e => e.getBoundingClientRect().left")
    regency = page.eval_on_selector("#regency", "e => e.getBoundingClientRect().left")
    assert regency > category + 600  # the place is beside the kind, not below it
    context.close()


def test_the_kiosk_file_button_is_large_and_in_the_pages_language(chromium, live_server):
    """The file picker is a large button in the page's words (the browser's own button says Chromium's); a
    touch on it opens the file chooser, and the chosen names are said below it."""
    context, page, _ = screen(chromium, live_server, "kiosk-1920x1080")
    page.click("a[data-kind=tip]")
    page.wait_for_url("**/lapor/kejadian*")
    page.goto("/lapor/bukti")
    button = page.locator("label[for=files]")
    box = button.bounding_box()
    assert box["height"] >= 64 and box["width"] >= 300, box
    assert button.inner_text() == "Pilih berkas"
    with page.expect_file_chooser() as chooser:
        button.click()
    chooser.value.set_files(files=[photo("foto-tps.png")])
    assert page.inner_text("#files-chosen") == "Dipilih: foto-tps.png"
    check_page(page)
    context.close()


def photo(name, color=(200, 30, 30)):
    return {"name": name, "mimeType": "image/png", "buffer": png_bytes((64, 48), color)}


def kiosk_walk(chromium, live_server, **walk):
    context, page, prints = screen(chromium, live_server, "kiosk-1920x1080")
    code = walk_formal(page, lambda page, name: None, kiosk=True, errors=False, **walk)
    return context, page, prints, code


def test_the_kiosk_receipt_prints_by_itself_once_then_asks(chromium, live_server):
    context, page, prints, code = kiosk_walk(chromium, live_server)
    wait_until(page, "() => !document.querySelector('[data-print-check]').hidden")
    assert len(prints) == 1  # printed once, by itself, as it was shown
    assert page.is_visible("text=Sudah tercetak?")
    check_page(page)
    top = page.eval_on_selector("[data-print-check]", "e => e.getBoundingClientRect().bottom")
    assert top <= 1080  # the question is on the screen, not below the fold
    page.click("[data-print-again]")
    wait_until(page, "n => document.readyState === 'complete'", None)
    assert len(prints) == 2
    page.click("[data-print-check] form button")  # Selesai
    page.wait_for_selector(".kiosk-welcome")
    assert code.replace(" ", "") not in page.content()
    context.close()


@pytest.fixture
def quick_receipt_idle(app):
    app.config.update(IDLE_WARN_SECONDS=2, IDLE_RESET_SECONDS=5, RECEIPT_IDLE_SECONDS=4)


def test_the_idle_reset_prints_an_unprinted_receipt_first(chromium, live_server, quick_receipt_idle):
    """The printer failed on the first try (no afterprint): left alone, the receipt waits longer than a step,
    warns with a countdown and says the report is sent, then prints once more before the screen resets."""
    from tests.support.browser import WATCH_CSP

    context = chromium.new_context(base_url=live_server, viewport={"width": 1920, "height": 1080}, has_touch=True)
    context.add_init_script(WATCH_CSP)
    prints = kiosk_printing(context, fails=1)
    page = context.new_page()
    page.goto("/kiosk")
    walk_formal(page, lambda page, name: None, kiosk=True, errors=False)
    shown = page.evaluate("Date.now()")
    page.wait_for_selector("#idle-dialog[open]", timeout=8000)
    assert page.evaluate("Date.now()") - shown >= 3000  # the receipt waits longer than a step's 2 seconds
    assert page.is_visible("#idle-text-receipt") and not page.is_visible("#idle-text-draft")
    assert "dihapus" not in page.inner_text("#idle-dialog")  # nothing is deleted: the report is sent
    first = int(page.inner_text("[data-idle-seconds]"))
    page.wait_for_timeout(1100)
    assert 0 < int(page.inner_text("[data-idle-seconds]")) < first  # it counts down
    check_page(page)
    page.wait_for_selector(".kiosk-welcome", timeout=8000)
    assert len(prints) == 2 and all(url.endswith("/lapor/tanda-terima") for url in prints)
    assert Report.select().count() == 1  # nothing is lost
    context.close()


def test_the_80mm_receipt_is_one_short_page(app, chromium, live_server, tmp_path):
    """A formal report with three files, printed at 80 mm: one page of at most 200 mm, the code on one line,
    short hashes, a QR code that decodes to the status address (the office's public one: a receipt never
    carries this machine's loopback address)."""
    app.config["PUBLIC_URL"] = "https://lapor.bawaslu-serang.example"
    files = [photo("satu.png"), {"name": "dua.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()},
             photo("tiga.png", (20, 90, 160))]
    context, page, _, code = kiosk_walk(chromium, live_server, files=files)
    page.emulate_media(media="print")
    pdf = page.pdf(width="80mm", height="200mm", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # it all fits on one page of 200 mm

    page.set_viewport_size({"width": 302, "height": 760})  # 80 mm at 96 px an inch: the print media query's width
    tops = page.eval_on_selector_all(".tracking-code span", "spans => spans.map(s => s.getBoundingClientRect().top)")
    assert len(tops) == 4 and len(set(tops)) == 1  # 4 groups of 4 digits, one line
    hashes = page.eval_on_selector_all(".hash", "hs => hs.map(h => h.innerText)")
    assert len(hashes) == 3 and all(re.fullmatch(r"SHA-256 [0-9a-f]{8}…[0-9a-f]{8}", h) for h in hashes), hashes
    assert page.is_visible(".letterhead") and page.is_visible(".printed-at") and not page.is_visible(".signatures")
    qr_bottom = page.eval_on_selector(".qr", "e => e.getBoundingClientRect().bottom")
    assert qr_bottom < page.eval_on_selector(".evidence-list", "e => e.getBoundingClientRect().top")  # near the top
    page.set_viewport_size({"width": 1200, "height": 1000})  # the QR code, drawn large enough to read back
    image = Image.open(io.BytesIO(page.locator(".qr svg").screenshot()))
    found = zxingcpp.read_barcodes(image)
    assert [f.text for f in found] == [f"HTTPS://LAPOR.BAWASLU-SERANG.EXAMPLE/S/{code}"]

    page.set_viewport_size({"width": 794, "height": 1123})  # A4: the full hashes and room to sign
    assert page.is_visible(".signatures") and not page.is_visible(".hash-short")
    assert all(re.search(r"[0-9a-f]{64}", h) for h in page.eval_on_selector_all(".hash", "hs => hs.map(h => h.innerText)"))
    context.close()


def test_dates_typed_in_three_boxes_without_javascript(chromium, live_server):
    """Day, month and year in Indonesian order, without JavaScript; a month and day swapped (the US order
    Chromium used to show) is caught at the month's box, and nothing typed is lost."""
    context, page, _ = screen(chromium, live_server, "phone-360x640", js=False)
    page.goto("/lapor/")
    page.click("a[data-kind=formal]")
    page.wait_for_url("**/lapor/kejadian*")
    assert page.get_attribute("#occurred_on-day", "inputmode") == "numeric"
    labels = page.eval_on_selector_all("#occurred_on-day, #occurred_on-month, #occurred_on-year",
                                       "els => els.map(e => e.labels[0].innerText)")
    assert labels == ["Tanggal", "Bulan", "Tahun"]
    for part, value in (("day", "11"), ("month", "17"), ("year", "2026")):
        page.fill(f"#occurred_on-{part}", value)
    page.fill("#description", "Tim sukses membagikan amplop berisi uang kepada warga.")
    page.click("#step button[value=next]")
    page.wait_for_load_state()
    assert page.get_attribute("#occurred_on-month", "aria-invalid") == "true"
    assert page.get_attribute("#occurred_on-day", "aria-invalid") is None
    link = page.locator(".error-summary a[href='#occurred_on-month']")
    assert "Kapan kejadiannya" in link.inner_text() and "bulan" in link.inner_text().lower()
    assert [page.input_value(f"#occurred_on-{p}") for p in ("day", "month", "year")] == ["11", "17", "2026"]
    context.close()
