"""The provincial workspace on the hub, with real rows: the overview's counts per office and in total,
the stale marking (37 hours since the last completed sync; never synced; a revoked office is not
stale), Asia/Jakarta times, every office's list with the office filter, the read-only report with its
evidence, the recap and CSV export across offices, and the audit log recording what hub staff saw."""
import csv
import datetime as dt
import io
import re

import pytest
from PIL import Image

from kiosk import tallies
from kiosk.models import utcnow
from kiosk.staff.models import AuditLog
from tests.support.staff import STAFF_PASSWORD
from tests.support.sealed import add_evidence
from tests.support import html
from tests.support.citizen import REPORTER
from tests.support.staff import make_hub_office, make_report


def row_of(page, code):
    """The overview's table row of office `code` (its opening tag included)."""
    match = re.search(r'<tr id="office-%s"[^>]*>.*?</tr>' % code.replace(".", "-"), page, re.S)
    assert match, code
    return match.group(0)


def numbers(row):
    """The counts in a table row, in order."""
    return [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]


@pytest.fixture
def province(hub_app, hub_accounts):
    """Five registered offices: Kota Serang synced 2 hours ago, Pandeglang 37 hours ago (its last attempt,
    an hour ago, failed), Kota Tangerang 35 hours ago, Lebak never, Kabupaten Serang revoked; and reports
    of today, 3 days ago and 10 days ago."""
    make_hub_office("36.73", ok_hours_ago=2)
    make_hub_office("36.01", ok_hours_ago=37, attempt_hours_ago=1, result="error: bad signature")
    make_hub_office("36.71", ok_hours_ago=35)
    make_hub_office("36.02")
    make_hub_office("36.04", ok_hours_ago=200, revoked=True)
    now = utcnow()
    made = {
        "serang_today": make_report("36.73", category="tps"),
        "serang_review": make_report("36.73", status="kajian_awal"),
        "serang_3_days": make_report("36.73", submitted_at=now - dt.timedelta(days=3)),
        "serang_10_days": make_report("36.73", submitted_at=now - dt.timedelta(days=10), status="selesai"),
        "pandeglang": make_report("36.01", submitted_at=now - dt.timedelta(days=5), status="selesai",
                                  regency_code="36.01", district_code="36.01.01", village_code=""),
        "revoked": make_report("36.04", category="netralitas"),
    }
    tallies.rebuild()  # stored straight at the hub: counted as ingest counts a batch's reports
    return made


def test_provincial_staff_land_on_the_overview(hub_app, hub_accounts, province):
    from tests.support.staff import StaffMember

    member = StaffMember(hub_app.test_client())
    page = member.login("prov", office="36").get_data(as_text=True)
    assert html.h1(page) == "Provincial overview"
    assert "/staff/bantu" not in page  # no assisted entry on the hub


def test_overview_counts_per_office_and_in_total(hub_staff_as, province):
    page = hub_staff_as("petugas").get("/staff/").get_data(as_text=True)
    offices = page[:page.index("</table>")]
    assert numbers(row_of(offices, "36.73")) == [2, 3, 4]  # today, last 7 days, held
    assert numbers(row_of(offices, "36.01")) == [0, 1, 1]
    assert numbers(row_of(offices, "36.02")) == [0, 0, 0]
    assert numbers(row_of(offices, "36.04")) == [1, 1, 1]
    totals = re.search(r'<tfoot>.*?</tfoot>', offices, re.S).group(0)
    assert "All offices" in totals and numbers(totals) == [3, 5, 6]
    assert "Bawaslu Kabupaten Tangerang" in page.split("Not registered at this hub:")[1]  # 36.03 is not registered

    by_status = page[page.index('id="by_status-title"'):page.index('id="by_category-title"')]
    head = re.findall(r'<th scope="col" class="num">([^<]+)</th>', by_status)
    serang = dict(zip(head, numbers(row_of_table(by_status, "Bawaslu Kota Serang"))))
    assert serang == {"Received": 2, "Initial review": 1, "Needs completion": 0, "Registered": 0,
                      "Not registered": 0, "Forwarded": 0, "Closed": 1, "Transferred": 0}
    status_totals = dict(zip(head, numbers(re.search(r'<tfoot>.*?</tfoot>', by_status, re.S).group(0))))
    assert status_totals["Received"] == 3 and status_totals["Closed"] == 2 and sum(status_totals.values()) == 6

    by_category = page[page.index('id="by_category-title"'):]
    head = re.findall(r'<th scope="col" class="num">([^<]+)</th>', by_category)
    serang = dict(zip(head, numbers(row_of_table(by_category, "Bawaslu Kota Serang"))))
    assert serang["Money politics"] == 3 and serang["Polling station or count"] == 1
    assert sum(numbers(re.search(r'<tfoot>.*?</tfoot>', by_category, re.S).group(0))) == 6


def row_of_table(section, name):
    """The row of the office named `name` in a counts table."""
    return re.search(r'<tr><th scope="row">%s</th>.*?</tr>' % name, section, re.S).group(0)


def test_offices_without_a_completed_sync_for_36_hours_stand_out_in_words(hub_staff_as, province):
    page = hub_staff_as("petugas").get("/staff/").get_data(as_text=True)
    pandeglang, lebak = row_of(page, "36.01"), row_of(page, "36.02")
    for row in (pandeglang, lebak):
        assert 'class="stale"' in row and "Stale:" in row
    assert "37 hours ago" in pandeglang
    assert "Failed" in pandeglang and '<span lang="en">bad signature</span>' in pandeglang  # the last attempt
    assert "Never synced" in lebak and "Never" in lebak
    for code in ("36.73", "36.71", "36.04"):  # fresh, 35 hours, revoked
        assert "stale" not in row_of(page, code), code
    assert "Completed" in row_of(page, "36.73") and "2 hours ago" in row_of(page, "36.73")
    assert "Revoked" in row_of(page, "36.04")
    notice = page[page.index('class="notice notice-stale"'):]
    notice = notice[:notice.index("</div>")]
    assert "2 offices have not completed a sync for over 36 hours" in notice
    assert '<a href="#office-36-01">Bawaslu Kabupaten Pandeglang</a>: last completed sync 37 hours ago' in notice
    assert '<a href="#office-36-02">Bawaslu Kabupaten Lebak</a>: never synced' in notice


def test_no_notice_when_every_office_is_fresh(hub_staff_as, hub_app):
    make_hub_office("36.73", ok_hours_ago=1)
    page = hub_staff_as("admin").get("/staff/").get_data(as_text=True)
    assert "notice-stale" not in page and 'class="stale"' not in page


def test_overview_times_are_in_asia_jakarta_and_follow_the_locale(hub_staff_as, hub_app):
    from kiosk.sync.models import HubOffice

    make_hub_office("36.73", ok_hours_ago=1)
    HubOffice.update(last_ok_at=dt.datetime(2026, 11, 20, 17, 30), last_sync_at=dt.datetime(2026, 11, 20, 17, 30)) \
        .where(HubOffice.code == "36.73").execute()
    member = hub_staff_as("petugas")
    assert "21 Nov 2026, 00.30 WIB" in row_of(member.get("/staff/").get_data(as_text=True), "36.73")
    member.get("/bahasa/id?next=/")
    assert "21 Nov 2026, 00.30 WIB" in row_of(member.get("/staff/").get_data(as_text=True), "36.73")


def test_an_empty_hub_says_how_to_register_an_office(hub_staff_as):
    page = hub_staff_as("petugas").get("/staff/").get_data(as_text=True)
    assert "kiosk hub-add-office" in page and "<table" not in page


def test_every_offices_list_and_the_office_filter(hub_staff_as, province):
    member = hub_staff_as("petugas")
    page = member.get("/staff/laporan").get_data(as_text=True)
    for name in ("serang_today", "serang_review", "revoked"):
        assert province[name].receipt_no in page, name
    assert province["pandeglang"].receipt_no not in page  # five days ago: not today's
    assert html.text(page, ".result-count") == "3 reports"
    assert {row[1] for row in html.rows(page, "table.reports")} == {"Kota Serang", "Kabupaten Serang"}  # the office
    assert '<select id="office" name="office"' in page and 'action="/staff/laporan"' in page

    week = member.get("/staff/laporan", query_string={"office": "36.01", "start": (utcnow() - dt.timedelta(days=6))
                                                       .date().isoformat()}).get_data(as_text=True)
    assert province["pandeglang"].receipt_no in week and province["serang_today"].receipt_no not in week
    assert html.text(week, ".result-count") == "1 report" and html.value(week, "office") == "36.01"

    found = member.get("/staff/laporan", query_string={"q": province["serang_10_days"].tracking_code})
    assert province["serang_10_days"].receipt_no in found.get_data(as_text=True)
    partial = member.client.get("/staff/laporan?office=36.73", headers={"HX-Request": "true"})
    assert partial.get_data(as_text=True).lstrip().startswith('<section id="results"')
    assert partial.headers["HX-Push-Url"] == "/staff/laporan?office=36.73"


def test_overview_links_each_office_to_its_last_7_days(hub_staff_as, province):
    page = hub_staff_as("petugas").get("/staff/").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">Bawaslu Kota Serang</a>', row_of(page, "36.73")).group(1)
    listing = hub_staff_as("petugas").get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert html.text(listing, ".result-count") == "3 reports"
    assert province["serang_10_days"].receipt_no not in listing


def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_report_on_the_hub_is_read_only_with_the_evidence_the_hub_holds(hub_app, hub_staff_as, province):
    report = province["serang_today"]
    content = photo()
    held = add_evidence(report, hub_app.config["EVIDENCE_DIR"], content, "amplop.jpg", "image/jpeg")
    coming = add_evidence(report, hub_app.config["EVIDENCE_DIR"], b"\0" * 10, "video.mp4", "video/mp4", position=1,
                          stored=False)
    member = hub_staff_as("petugas")
    page = member.get(f"/staff/laporan/{report.id}").get_data(as_text=True)
    assert "Read-only at the hub" in page and "overwritten by its next sync" in page
    assert "Bawaslu Kota Serang</a> (36.73)" in page and REPORTER["reporter_nik"] in page  # opened with the hub's key
    assert "Change the status" not in page and "/status/" not in page
    assert "/kajian" not in page and "/kategori" not in page and 'type="checkbox"' not in page
    assert "video.mp4</strong>: the file is not here yet" in page

    download = member.client.get(f"/staff/laporan/{report.id}/bukti/{held.id}")
    assert download.status_code == 200 and download.data == content
    assert download.headers["Content-Disposition"].startswith("attachment")
    preview = member.client.get(f"/staff/laporan/{report.id}/bukti/{held.id}/pratinjau")
    assert preview.status_code == 200 and Image.open(io.BytesIO(preview.data)).size == (480, 360)
    assert member.client.get(f"/staff/laporan/{report.id}/bukti/{coming.id}").status_code == 404

    entries = list(AuditLog.select().where(AuditLog.action.in_(["view_report", "download_evidence"])))
    assert {(e.office_code, e.actor, e.action, e.target) for e in entries} == {
        ("36", "prov", "view_report", report.receipt_no), ("36", "prov", "download_evidence", report.receipt_no)}


def test_reports_of_no_office_of_the_province_stay_out(hub_staff_as, province):
    stray = make_report("99.01")
    member = hub_staff_as("admin")
    assert member.client.get(f"/staff/laporan/{stray.id}").status_code == 404
    assert stray.receipt_no not in member.get(f"/staff/laporan?q={stray.tracking_code}").get_data(as_text=True)


def read_csv(response):
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_the_export_covers_every_office_or_the_one_chosen(hub_staff_as, province):
    today = utcnow().date()
    week = {"start": (today - dt.timedelta(days=7)).isoformat(), "end": (today + dt.timedelta(days=1)).isoformat(),
            "separator": "comma"}
    admin = hub_staff_as("admin")
    every = admin.post("/staff/ekspor", dict(week, office="", personal="y", your_password=STAFF_PASSWORD))
    rows = read_csv(every)
    assert rows[0][:3] == ["Office code", "Office", "Receipt number"] and "NIK" in rows[0]  # an admin's, confirmed
    assert sorted(row[0] for row in rows[1:]) == ["36.01", "36.04", "36.73", "36.73", "36.73"]
    assert ("36.01", "Bawaslu Kabupaten Pandeglang") in {(row[0], row[1]) for row in rows[1:]}
    assert f'filename="laporan-36-{week["start"]}' in every.headers["Content-Disposition"]

    one = hub_staff_as("petugas").post("/staff/ekspor", dict(week, office="36.01"))
    rows = read_csv(one)
    assert [row[2] for row in rows[1:]] == [province["pandeglang"].receipt_no] and "NIK" not in rows[0]
    assert f'filename="laporan-36.01-{week["start"]}' in one.headers["Content-Disposition"]
    exports = AuditLog.select().where(AuditLog.action == "export").order_by(AuditLog.id)
    assert [(e.office_code, e.actor, e.detail["office"], e.detail["rows"]) for e in exports] == [
        ("36", "prov-admin", "all", 5), ("36", "prov", "36.01", 1)]


def test_the_recap_covers_every_office_or_the_one_chosen(hub_staff_as, province):
    member = hub_staff_as("petugas")
    page = member.get("/staff/rekap").get_data(as_text=True)
    assert "3 reports received" in page and "<caption>By office</caption>" in page
    assert "<td>Kota Serang</td>" in page and "<td>Kabupaten Serang</td>" in page
    one = member.get("/staff/rekap", query_string={"office": "36.73"}).get_data(as_text=True)
    assert "2 reports received" in one and "Bawaslu Kota Serang ·" in one and "By office" not in one


def test_office_servers_have_no_provincial_pages(staff_as):
    make_report()
    member = staff_as("admin")
    assert member.client.get("/staff/laporan").status_code == 404
    page = member.get("/staff/").get_data(as_text=True)
    assert "The work" in page and "Provincial overview" not in page and 'name="office"' not in page


def test_hub_admins_manage_the_hubs_accounts(hub_staff_as, hub_accounts):
    admin = hub_staff_as("admin")
    page = admin.get("/staff/akun").get_data(as_text=True)
    assert [row[0] for row in html.rows(page, "table.accounts")] == ["prov", "prov-admin"]  # the hub's own (36)
    assert "serang" not in page
    admin.post("/staff/akun", {"username": "prov2", "role": "petugas", "password": "another long secret"})
    from kiosk.staff.models import Staff

    assert Staff.find("36", "prov2") is not None
    assert admin.client.get(f"/staff/akun/{hub_accounts['other'].id}/sandi").status_code == 404


def test_sign_in_attempts_with_another_office_are_seen_by_the_hub_admins(hub_app, hub_accounts, hub_staff_as):
    from kiosk.staff.models import AuditLog

    hub_staff_as("other")  # an office account tries the hub
    with hub_app.app_context():
        entries = list(AuditLog.select().where(AuditLog.action == "login"))
    assert [(e.office_code, e.actor) for e in entries] == [("36", "serang")]
