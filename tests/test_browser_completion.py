"""Completing a report in Chromium with the keyboard alone, at the kiosk (1920x1080) and on a 360 px phone, in
Indonesian and English: the status page and the addition's receipt clean under axe-core and the CSP, the
files checked, the addition stored whole."""
import datetime as dt

import pytest

from kiosk import tracking
from kiosk.models import Addition, Evidence, Report, StatusEvent
from tests.support.browser import WATCH_CSP, check_page, press_button, tab_to, type_into
from tests.support.files import jpeg_bytes
from tests.support.staff import make_report

pytestmark = pytest.mark.browser
WORDS = {"id-ID": ("Lengkapi laporan", "Kelengkapan Anda telah diterima"),
         "en-US": ("Complete your report", "What you added has been received")}


@pytest.mark.parametrize("where", ["kiosk", "phone"])
@pytest.mark.parametrize("locale", ["id-ID", "en-US"])
def test_completing_a_report_with_the_keyboard(chromium, live_server, where, locale, tmp_path):
    report = make_report(status="perlu_dilengkapi", completion_due=dt.date.today() + dt.timedelta(days=2))
    StatusEvent.create(report=report, status="perlu_dilengkapi", actor="petugas", public_note="Mohon kirim foto amplop.")
    size = {"width": 1920, "height": 1080} if where == "kiosk" else {"width": 360, "height": 740}
    context = chromium.new_context(base_url=live_server, locale=locale, viewport=size, has_touch=where == "phone")
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.set_default_timeout(10000)
    try:
        if where == "kiosk":
            page.goto("/kiosk")
        page.goto(f"/bahasa/{locale[:2]}?next=/status?kode={tracking.dashed(report.tracking_code)}")
        heading, received = WORDS[locale]
        assert page.text_content("#complete-title") == heading
        check_page(page)
        type_into(page, "#text", "Foto amplop terlampir.")
        tab_to(page, "#files")
        photo = tmp_path / "amplop.jpg"
        photo.write_bytes(jpeg_bytes())
        page.set_input_files("#files", str(photo))  # the file chooser is the system's own dialog
        press_button(page, "form[action='/status/lengkapi'] button")
        page.wait_for_url("**/status/dilengkapi")
        assert page.text_content("h1") == received
        assert f"{report.receipt_no}-L1" in page.text_content(".receipt-facts")
        check_page(page)
        assert Addition.select().count() == 1 and Evidence.select().count() == 1
        assert Report.get_by_id(report.id).needs_review
        if where == "kiosk":
            press_button(page, "form[action='/lapor/selesai'] button")
            page.wait_for_selector(".kiosk-welcome")
        targets = 48 if where == "kiosk" else 44
        page.goto(f"/status?kode={tracking.dashed(report.tracking_code)}")
        small = page.evaluate("""min => [...document.querySelectorAll('main button, main input:not([type=hidden])')]
            .filter(e => e.offsetParent && e.getBoundingClientRect().height < min).map(e => e.outerHTML.slice(0, 80))""",
                              targets)
        assert small == []
        check_page(page)
    finally:
        context.close()
