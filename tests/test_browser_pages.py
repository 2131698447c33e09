"""Every page in Chromium: axe-core clean in both languages, normal and high contrast; complete with
JavaScript off; usable at 320 CSS px (400% zoom) without scrolling sideways."""
import pytest

from kiosk.models import Report
from tests.support.sealed import witnesses
from tests.support.browser import axe_violations, check_page, csp_violations
from tests.support.walk import walk_formal

pytestmark = pytest.mark.browser


def test_the_accessibility_check_finds_what_is_wrong(chromium):
    """axe-core as the tests run it (only the violations gathered) still reports each violation."""
    page = chromium.new_page()
    page.set_content('<!doctype html><html lang="id"><title>x</title><main><h1>Uji</h1>'
                     '<img src="data:,"><p style="color:#bbb;background:#fff">Teks pucat</p>'
                     '<label>Nama</label><input id="nama"></main></html>')
    found = dict(axe_violations(page))
    page.close()
    assert {"image-alt", "color-contrast", "label"} <= set(found), found
    assert found["image-alt"] == [["img"]]


def status_pages(page, code, visit):
    page.goto("/status")
    visit(page, "status")
    page.goto("/status?kode=1234-5678-9012-3456")
    visit(page, "status with an error")
    page.goto(f"/status?kode={code}")
    page.wait_for_selector(".timeline")
    visit(page, "status with the timeline")
    page.goto("/halaman-yang-tidak-ada")
    visit(page, "not found")


@pytest.mark.parametrize("browser_page", ["id-ID", "en-US"], indirect=True)
@pytest.mark.parametrize("contrast", [False, True], ids=["normal", "high-contrast"])
def test_every_page_passes_axe(browser_page, contrast):
    page = browser_page
    seen = []

    def visit(page, name):
        check_page(page)
        assert page.evaluate("document.documentElement.classList.contains('contrast')") == contrast
        seen.append(name)

    page.goto("/kiosk")  # the kiosk start screen, from this machine
    if contrast:
        page.click("text=/Kontras tinggi|High contrast/")  # a link: the page comes back through a redirect
        page.wait_for_function("document.documentElement && document.documentElement.classList.contains('contrast')")
    visit(page, "kiosk start")
    code = walk_formal(page, visit, js=True, kiosk=True)
    page.goto("/lapor/kejadian")  # after the receipt there is no draft: back to the start
    assert page.url.endswith("/lapor/")
    page.evaluate("document.getElementById('idle-dialog').showModal()")
    visit(page, "kiosk idle warning")
    status_pages(page, code, visit)
    assert len(seen) == 17  # every page of the walk was checked


def test_formal_report_with_javascript_off(chromium, live_server):
    from tests.support.browser import WATCH_CSP

    context = chromium.new_context(base_url=live_server, java_script_enabled=False, locale="id-ID")
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    visited = []
    code = walk_formal(page, lambda page, name: visited.append(name), js=False)
    report = Report.get()
    assert report.tracking_code == code and report.kind == "formal" and report.district_code == "36.73.02"
    assert [w.name for w in witnesses(report)] == ["Budi Santoso"]
    assert not page.is_visible("button[data-print]")  # printing is the browser's own menu without JS
    context.close()


@pytest.mark.parametrize("text_size", ["1", "3"])
def test_no_sideways_scrolling_at_320_css_px(chromium, live_server, text_size):
    from tests.support.browser import WATCH_CSP

    context = chromium.new_context(base_url=live_server, viewport={"width": 320, "height": 640}, locale="id-ID")
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.goto(f"/tampilan?teks={text_size}&next=/")
    too_wide = []

    def visit(page, name):
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide.append((name, width))
        assert csp_violations(page) == []

    code = walk_formal(page, visit, js=True)
    status_pages(page, code, visit)
    assert too_wide == []
    context.close()
