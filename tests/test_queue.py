"""The work at `/staff/`: every report still needing action whatever day it came in, the next legal deadline
first, counts of the overdue, due today and due within a week that link to those rows, keyset pages, the
petugas assigned, and the search by NIK and by a name word (audited)."""
import datetime as dt

from kiosk.deadlines import today
from kiosk.models import Report, utcnow
from kiosk.staff.models import AuditLog
from tests.support import html
from tests.support.citizen import REPORTER
from tests.support.staff import make_report

DAY = dt.timedelta(days=1)


def receipts(page):
    """The receipt numbers in the work's table, top to bottom."""
    return [row[0] for row in html.rows(page, "table.queue")] if html.has(page, "table.queue") else []


def test_a_report_past_its_review_deadline_comes_first_and_is_counted_overdue(staff_as):
    fresh = make_report(kajian_awal_due=today() + 2 * DAY)
    due_today = make_report(kajian_awal_due=today())
    # Received last week, its kajian awal due three days ago: not today's, and yet the first of the work.
    old = make_report(submitted_at=utcnow() - 8 * DAY, kajian_awal_due=today() - 3 * DAY)
    done = make_report(status="selesai", kajian_awal_due=today() - 9 * DAY)
    registered = make_report(status="diregistrasi", registered_on=today() - DAY, registration_no="001/Reg/LP/PL/Kota/36.73/XII/2026")
    page = staff_as("petugas").get("/staff/")
    assert receipts(page)[:3] == [old.receipt_no, due_today.receipt_no, fresh.receipt_no]
    assert done.receipt_no not in receipts(page) and registered.receipt_no in receipts(page)
    counts = html.texts(page, ".due-counts a")
    assert counts[:3] == ["1 overdue", "1 due today", "1 due within 7 days"]  # the decision is 7 working days off
    row = dict(zip(html.texts(page, "table.queue thead th"), html.rows(page, "table.queue")[0]))
    assert row["Next deadline"].startswith("Overdue by 3 days") and row["Place"] == "Serang"  # kecamatan 36.73.01
    assert row["Reported party"] == "Campaign team" and row["What happened"].startswith("Tim sukses membagikan")


def test_the_counts_are_links_to_their_rows(staff_as):
    late = make_report(kajian_awal_due=today() - DAY)
    make_report(kajian_awal_due=today() + 3 * DAY)
    petugas = staff_as("petugas")
    link = html.link(petugas.get("/staff/"), "1 overdue")
    assert receipts(petugas.get(link)) == [late.receipt_no]


def test_pages_follow_on_by_keyset_without_repeating_a_row(staff_as):
    made = [make_report(kajian_awal_due=today() + n * DAY) for n in range(55)]
    petugas = staff_as("petugas")
    first = petugas.get("/staff/")
    second = petugas.get(html.link(first, "Next page"))
    shown = receipts(first) + receipts(second)
    assert len(receipts(first)) == 50 and shown == [report.receipt_no for report in made]
    assert not html.has(second, "a[rel=next]")


def test_a_petugas_takes_a_report_and_finds_it_under_my_reports(staff_as):
    mine = make_report()
    theirs = make_report()
    petugas = staff_as("petugas")
    petugas.post(f"/staff/laporan/{mine.id}/tugas", {"assignee": "petugas"})
    assert Report.get_by_id(mine.id).assigned_to == "petugas"
    assert receipts(petugas.get("/staff/?mine=1")) == [mine.receipt_no]
    assert "petugas" in html.rows(petugas.get("/staff/"), "table.queue")[0]
    # someone else's report cannot be taken from them by a petugas; an admin can reassign it
    staff_as("admin").post(f"/staff/laporan/{theirs.id}/tugas", {"assignee": "admin"})
    response = petugas.client.post(f"/staff/laporan/{theirs.id}/tugas", data={"assignee": "petugas",
                                                                              "csrf_token": petugas.token})
    assert response.status_code == 403 and Report.get_by_id(theirs.id).assigned_to == "admin"
    assert AuditLog.select().where(AuditLog.action == "assign").count() == 2


def test_search_by_exact_nik_and_by_a_name_word_finds_the_report_and_is_audited(staff_as):
    report = make_report(submitted_at=utcnow() - 40 * DAY, status="selesai")  # long finished, and found
    petugas = staff_as("petugas")
    petugas.get("/staff/")  # the search index catches up at a staff request
    for typed in (REPORTER["reporter_nik"], "rahmawati"):
        page = petugas.get(f"/staff/?q={typed}")
        assert [row[0] for row in html.rows(page, "table.reports")] == [report.receipt_no], typed
    assert AuditLog.select().where(AuditLog.action == "search_personal").count() == 2
    assert REPORTER["reporter_nik"] not in str([entry.detail for entry in AuditLog.select()])
