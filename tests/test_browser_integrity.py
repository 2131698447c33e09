"""A damaged evidence file in Chromium: the download refused with its own page, the report page and the
notice on every staff page saying so; axe-core finds nothing and the CSP holds on each."""
import io
from pathlib import Path

import pytest
from PIL import Image

from tests.support.browser import check_page
from tests.support.sealed import add_evidence
from tests.support.staff import make_report
from tests.test_browser_staff import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("browser_page", ["en-US"], indirect=True)
def test_a_damaged_file_is_refused_and_named_on_the_staff_pages(browser_page, app, accounts):
    page = browser_page
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 40, 40)).save(buffer, "JPEG")
    report = make_report(channel="kiosk")
    add_evidence(report, app.config["EVIDENCE_DIR"], buffer.getvalue(), "amplop.jpg", "image/jpeg")
    [stored] = [p for p in Path(app.config["EVIDENCE_DIR"]).iterdir() if not p.name.startswith(".")]
    raw = bytearray(stored.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    stored.write_bytes(bytes(raw))

    sign_in(page)
    page.goto(f"/staff/laporan/{report.id}")
    link = page.get_attribute("a[download]", "href")
    response = page.goto(link)
    assert response.status == 410
    assert page.inner_text("h1") == "This evidence file is damaged"
    assert "have been told" in page.inner_text("main")
    check_page(page)

    page.click(f"text=Back to report {report.receipt_no}")
    page.wait_for_selector(".damaged-evidence")
    assert "damaged: it no longer matches its SHA-256" in page.inner_text(".staff-evidence")
    assert page.locator("a[download]").count() == 0  # no link to bytes that are not served
    check_page(page)
    page.goto("/staff/")
    assert f"report {report.receipt_no}, file 1" in page.inner_text(".damaged-evidence")
    check_page(page)
