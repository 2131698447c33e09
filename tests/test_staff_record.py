"""The day's record: the printable recap of any date, the CSV export (BOM, formula injection, personal
data for admins only, every export logged) and the audit log as admins read it."""
import csv
import datetime as dt
import io

import pytest

from kiosk.staff.csvfile import safe
from kiosk.staff.models import AuditLog
from tests.support import html
from tests.support.staff import STAFF_PASSWORD
from tests.support.citizen import REPORTER
from tests.support.staff import make_report

NIK = REPORTER["reporter_nik"]
DAY = {"start": "2026-11-20", "end": "2026-11-20", "separator": "comma"}
WITH_PERSONAL = dict(DAY, personal="y", your_password=STAFF_PASSWORD)  # an admin, confirming


def at(hour, day=20):
    """A naive UTC time on `day` November 2026 (hour in UTC; WIB is 7 hours ahead)."""
    return dt.datetime(2026, 11, day, hour, 0)


def read_csv(response, delimiter=","):
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


# ---- the recap ----

def test_recap_of_a_day_counts_then_lists(staff_as):
    make_report(submitted_at=at(1), status="kajian_awal")
    make_report(submitted_at=at(2), kind="tip", channel="kiosk", category="apk", reporter_nik="")
    other_day = make_report(submitted_at=at(2, day=21))
    page = staff_as("petugas").get("/staff/rekap?date=2026-11-20").get_data(as_text=True)
    assert "Friday, 20 November 2026" in page and "2 reports received" in page
    assert other_day.receipt_no not in page
    assert '<tr><th scope="row">Initial review</th><td>1</td></tr>' in page
    assert '<tr><th scope="row">Campaign materials</th><td>1</td></tr>' in page
    assert '<tr><th scope="row">Office kiosk</th><td>1</td></tr>' in page
    assert page.index("By status") < page.index("0001/PL/36.73/XI/2026") < page.index("0002/PL/36.73/XI/2026")
    assert "data-print hidden" in page  # a print button once JavaScript is there; the browser's print otherwise


def test_recap_defaults_to_today(staff_as):
    report = make_report()
    page = staff_as("petugas").get("/staff/rekap").get_data(as_text=True)
    assert report.receipt_no in page and "1 report received" in page


def test_recap_of_a_quiet_day_says_so(staff_as):
    page = staff_as("petugas").get("/staff/rekap?date=2026-01-01").get_data(as_text=True)
    assert "No reports were received on this day." in page


# ---- the CSV export ----

@pytest.mark.parametrize("value,cell", [
    ("=HYPERLINK(\"http://evil.example\",\"klik\")", "'=HYPERLINK(\"http://evil.example\",\"klik\")"),
    ("+6281234567890", "'+6281234567890"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\tcmd", "'\tcmd"),
    ("\r=1", "'\r=1"),
    ("Tim Sukses = jahat", "Tim Sukses = jahat"),
    ("0001/PL/36.73/XI/2026", "0001/PL/36.73/XI/2026"),
    (";=HYPERLINK(A1)", ";'=HYPERLINK(A1)"),  # a comma CSV opened as semicolon-separated splits here
    ("kata, =1+1", "kata, '=1+1"),
    ("x;@SUM(A1:A9)", "x;'@SUM(A1:A9)"),
    ("Budi\u202etxt.exe", "Buditxt.exe"),  # a direction override would show 'Budiexe.txt'
    ("\u200b=1+1", "'=1+1"),  # a zero-width space in front hides nothing
    ("", ""),
    (None, ""),
    (3, "3"),
])
def test_cells_that_a_spreadsheet_would_run_become_text(value, cell):
    assert safe(value) == cell


def test_export_is_a_utf8_csv_with_bom_sent_as_an_attachment(staff_as):
    make_report(submitted_at=at(3), terlapor_name="Tim Sukses “Maju” — Ñ")
    response = staff_as("petugas").post("/staff/ekspor", DAY)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="laporan-36.73-2026-11-20-2026-11-20.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = read_csv(response)
    assert rows[0][:3] == ["Receipt number", "Received", "Type"]
    assert len(rows) == 2 and "Tim Sukses “Maju” — Ñ" in rows[1]
    assert rows[1][1] == "2026-11-20 10:00"  # Asia/Jakarta
    assert response.data.count(b"\r\n") == 2


def test_formula_injection_is_defused_in_the_file(staff_as):
    make_report(submitted_at=at(3), terlapor_name="=HYPERLINK(\"http://evil.example\",\"klik\")",
                place_detail="@SUM(A1)", description="+cmd|' /C calc'!A0 lalu amplop dibagikan ke warga.")
    rows = read_csv(staff_as("admin").post("/staff/ekspor", WITH_PERSONAL))
    header, row = rows
    cells = dict(zip(header, row))
    assert cells["Reported party"] == "'=HYPERLINK(\"http://evil.example\",\"klik\")"
    assert cells["Exact place"] == "'@SUM(A1)"
    assert cells["What happened"].startswith("'+cmd")
    assert cells["Phone number"] == "'+6281234567890"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_personal_data_columns_only_for_admins(staff_as):
    make_report(submitted_at=at(3))
    petugas_file = staff_as("petugas").post("/staff/ekspor", WITH_PERSONAL)  # asking is not enough
    admin = staff_as("admin")
    unconfirmed = admin.post("/staff/ekspor", dict(WITH_PERSONAL, your_password="not my password"))
    assert unconfirmed.status_code == 400 and [m for _, m in html.errors(unconfirmed)] == [
        "Type your own password to include the personal data."]
    assert "NIK" not in read_csv(admin.post("/staff/ekspor", DAY))[0]  # without asking: none
    admin_file = admin.post("/staff/ekspor", WITH_PERSONAL)
    petugas_rows, admin_rows = read_csv(petugas_file), read_csv(admin_file)
    assert "NIK" not in petugas_rows[0] and "Reporter's name" not in petugas_rows[0]
    text = petugas_file.data.decode()
    for secret in (NIK, REPORTER["reporter_name"], REPORTER["reporter_address"], "6281234567890", "siti@example.com"):
        assert secret not in text, secret
    cells = dict(zip(*admin_rows))
    assert cells["NIK"] == NIK and cells["Reporter's name"] == REPORTER["reporter_name"]
    assert cells["Address"] == REPORTER["reporter_address"]


def test_every_export_is_in_the_audit_log(staff_as):
    make_report(submitted_at=at(3))
    staff_as("petugas").post("/staff/ekspor", DAY)
    staff_as("admin").post("/staff/ekspor", dict(WITH_PERSONAL, end="2026-11-21"))
    entries = [(e.actor, e.target, e.detail) for e in AuditLog.select().where(AuditLog.action == "export")
               .order_by(AuditLog.id)]
    assert entries == [("petugas", "2026-11-20..2026-11-20", {"rows": 1, "personal": False}),
                       ("admin", "2026-11-20..2026-11-21", {"rows": 1, "personal": True})]


def test_semicolon_separator_for_excel_in_indonesian(staff_as):
    make_report(submitted_at=at(3), terlapor_name="Budi; dan kawan-kawan")
    response = staff_as("petugas").post("/staff/ekspor", dict(DAY, separator="semicolon"))
    rows = read_csv(response, delimiter=";")
    assert rows[0][0] == "Receipt number" and "Budi; dan kawan-kawan" in rows[1]


@pytest.mark.parametrize("form,message", [
    ({"start": "2026-11-20", "end": "2026-11-01"}, "The end date cannot be before the start date."),
    ({"start": "2025-01-01", "end": "2026-11-01"}, "Export at most one year at a time."),
    ({"start": "", "end": "2026-11-01"}, "Enter the first date."),
    ({"start": "kemarin", "end": "2026-11-01"}, "“From”: Enter the month (bulan)."),
])
def test_export_explains_a_wrong_range(staff_as, form, message):
    response = staff_as("admin").post("/staff/ekspor", dict(form, separator="comma"))
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert message in response.get_data(as_text=True)
    assert AuditLog.select().where(AuditLog.action == "export").count() == 0


# ---- the audit log ----

def test_admins_read_and_filter_the_audit_log_of_their_office(staff_as):
    admin = staff_as("admin")
    report = make_report()
    staff_as("petugas").get(f"/staff/laporan/{report.id}")
    AuditLog.record("36.01", "pandeglang", "view_report", "0001/PL/36.01/XI/2026")
    page = admin.get("/staff/audit").get_data(as_text=True)
    assert "Viewed a report with personal data" in page and report.receipt_no in page
    assert "Signed in" in page and "0001/PL/36.01" not in page
    only_views = admin.get("/staff/audit?action=view_report").get_data(as_text=True)
    assert "1 entry" in only_views and "Signed in</td>" not in only_views
    by_admin = admin.get("/staff/audit?actor=admin").get_data(as_text=True)
    assert report.receipt_no not in by_admin and "Signed in" in by_admin


def test_audit_log_pages_and_dates(staff_as):
    admin = staff_as("admin")
    for n in range(120):
        AuditLog.record("36.73", "petugas", "view_report", f"{n:04d}/PL/36.73/XI/2026")
    first = admin.get("/staff/audit").get_data(as_text=True)
    assert "Page 1 of 2" in first and "Older entries" in first
    second = admin.get("/staff/audit?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and "Newer entries" in second
    old = admin.get("/staff/audit?start=2020-01-01&end=2020-01-31").get_data(as_text=True)
    assert "No entries match." in old


def test_audit_log_updates_in_place_with_htmx(staff_as):
    response = staff_as("admin").client.get("/staff/audit?action=login", headers={"HX-Request": "true"})
    assert response.get_data(as_text=True).lstrip().startswith('<section id="results"')
