"""Pages that cost what they show: the indexes the list's queries use, the planner's statistics, the list a
page at a time, and the CSV and the recap streamed (tests/test_hub_tallies.py has the hub's counters)."""
import datetime as dt
import hashlib
import sqlite3

from kiosk import create_app
from kiosk.db import db, writing
from kiosk.models import Evidence, Report, Witness
from kiosk.staff import queries, queue
from tests.support.html import find, link, rows
from tests.support.staff import make_report

DAY = dt.datetime(2026, 11, 20, 1, 0)  # 08.00 in Serang (UTC+7)


def many_reports(count, at=DAY, step=dt.timedelta(minutes=7), same_time_every=0):
    """`count` reports of Kota Serang from `at` on, `step` apart; every `same_time_every`-th shares the time of
    the one before (a keyset must not lose or repeat reports that tie on the time)."""
    made = []
    with writing():
        for n in range(count):
            if not (same_time_every and n % same_time_every == 0 and n):
                at = at + step
            made.append(make_report(submitted_at=at))
    return made


def test_the_indexes_exist_and_the_list_of_a_day_reads_one_range_in_order(app):
    with app.app_context(), db.connection_context():
        many_reports(30)
        names = {row[0] for row in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"report_office_code_submitted_at_id", "report_office_code_status_submitted_at",
                "report_office_code_due_on_submitted_at_id"} <= names
        assert db.execute_sql("SELECT count(*) FROM sqlite_stat1").fetchone()[0] > 0  # the factory analysed it
        day = DAY.date()
        listed, _next = queue.page(queries.received_between("36.73", day, day), "received", columns=queries.LISTED)
        query = queries.received_between("36.73", day, day).select(*queries.LISTED).order_by(
            Report.submitted_at.desc(), Report.id.desc()).limit(51)
        sql, params = query.sql()
        plan = " / ".join(row[3] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert "USING INDEX report_office_code_submitted_at_id (office_code=? AND submitted_at>? AND submitted_at<?)" in plan
    assert "TEMP B-TREE" not in plan, plan  # read in the index's order, not sorted afterwards
    assert len(listed) == 30


def test_kiosk_nightly_refreshes_the_statistics(app):
    with app.app_context(), db.connection_context():
        db.execute_sql("DELETE FROM sqlite_stat1")
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["nightly"])  # its sync fails here: no hub is set
        assert "statistics refreshed" in result.output
        with db.connection_context():
            assert db.execute_sql("SELECT count(*) FROM sqlite_stat1").fetchone()[0] > 0


def receipts_on_every_page(member, url):
    """The receipt numbers the list shows, following its 'Next page' links to the end, and the pages seen."""
    seen, pages = [], 0
    while url:
        page = member.get(url)
        pages += 1
        seen += [row[0] for row in rows(page, "table.reports")]
        more = find(page, "#results").select_one('a[rel="next"]')
        url = more["href"] if more else None
    return seen, pages


def test_the_list_shows_every_report_once_across_its_pages(app, staff_as):
    with app.app_context(), db.connection_context():
        made = many_reports(123, same_time_every=5)
    member = staff_as("petugas")
    seen, pages = receipts_on_every_page(member, "/staff/?start=2026-11-20&end=2026-11-21")
    assert pages == 3  # 50, 50, 23
    assert sorted(seen) == sorted(report.receipt_no for report in made) and len(set(seen)) == 123
    assert seen == [r.receipt_no for r in sorted(made, key=lambda r: (r.submitted_at, r.id.hex), reverse=True)]
    first = member.get("/staff/?start=2026-11-20&end=2026-11-21")
    assert "123 reports" in find(first, ".result-count").get_text()
    second = member.get(link(first, "Next page"))
    assert "123 reports" in find(second, ".result-count").get_text()  # the counts are the whole day's
    assert link(second, "First page").endswith("start=2026-11-20&end=2026-11-21")


def test_a_search_pages_too(app, staff_as):
    """A receipt's sequence number (up to four digits) finds that receipt in every year: a range of the
    receipt index, paged like the list."""
    with app.app_context(), db.connection_context():
        many_reports(2)
        many_reports(1, at=dt.datetime(2027, 3, 1))
    found = rows(staff_as("petugas").get("/staff/?q=1"), "table.reports")
    assert sorted(row[0] for row in found) == ["0001/PL/36.73/III/2027", "0001/PL/36.73/XI/2026"]


# The CSV the export wrote before it was streamed, for the reports of `csv_reports` (its SHA-256 and length):
# made by the code of 635cd7d, which built the whole text in memory.
BEFORE = {"comma": ("cfc9a692d91c07efb7921212a31a280eea1744a7cbdb7e56f13db34bd8a868e1", 144270),
          "semicolon": ("53ba50646b8e3cd853f68d91f8288b350c82b6c0318ecbd2876db9a50b033e74", 144270),
          "personal": ("9e44c413af1e9b11cb8af54f61a2382dc3648fc467c5d82b6cc3260bf8ded943", 233159)}


def csv_reports():
    """Reports with everything a CSV cell can hold: formulas, separators, quotes, line breaks, invisible
    characters, witnesses and evidence; more than one chunk of the stream (csvfile.CHUNK is 500)."""
    texts = ["=HYPERLINK(\"http://x\")", "a, =1+1; @b", "kutip \"dua\"\nbaris baru", "\u202egpj.exe", "+62 812",
             "-biasa", "Pembagian amplop di TPS 5"]
    with writing():
        for n in range(520):
            report = make_report(submitted_at=DAY + dt.timedelta(minutes=n), description=texts[n % len(texts)],
                                 place_detail=texts[(n + 3) % len(texts)], terlapor_name=texts[(n + 5) % len(texts)],
                                 status=("diterima", "kajian_awal", "selesai")[n % 3],
                                 category=("politik_uang", "tps", "apk")[n % 3], channel=("web", "kiosk")[n % 2],
                                 reporter_name=texts[n % len(texts)])
            for position in range(n % 3):
                Witness.create(report=report, position=position, personal="")
            for position in range(n % 2):
                Evidence.create(report=report, position=position, blob=f"{n:064x}", mime="image/jpeg", size=10,
                                personal="")


def test_the_streamed_csv_is_what_the_export_wrote_before(app, staff_as):
    with app.app_context(), db.connection_context():
        csv_reports()
    admin = staff_as("admin")
    for name, form in (("comma", {"separator": "comma"}), ("semicolon", {"separator": "semicolon"}),
                       ("personal", {"separator": "comma", "personal": "y", "your_password": "correct horse battery"})):
        response = admin.post("/staff/ekspor", dict(form, start="2026-11-20", end="2026-11-21"))
        assert response.status_code == 200 and "Content-Length" not in response.headers  # sent as it is made
        body = response.get_data()
        assert body.count(b"\r\n") >= 521
        assert (hashlib.sha256(body).hexdigest(), len(body)) == BEFORE[name], name


def test_the_recap_is_streamed_and_lists_every_report_of_the_day(app, staff_as):
    with app.app_context(), db.connection_context():
        made = many_reports(60, step=dt.timedelta(minutes=3))
    response = staff_as("petugas").get("/staff/rekap?date=2026-11-20")
    assert response.status_code == 200 and "Content-Length" not in response.headers  # sent as it is made
    listed = [row[0] for row in rows(response, "table.reports")]
    assert listed == [report.receipt_no for report in made]  # in the order received
    assert "60 reports received" in find(response, ".result-count").get_text()


def test_healthz_counts_the_reports_whichever_way_they_came(app, client):
    with app.app_context(), db.connection_context():
        many_reports(3)
    path = app.config["DATABASE"]
    rest = ", ".join(field.column_name for field in Report._meta.sorted_fields[6:])
    with sqlite3.connect(path) as conn:  # a row written behind the models' back (a restore's, a recovery's)
        conn.execute(f"INSERT INTO report (id, change_seq, office_code, receipt_no, tracking_code, submit_key, {rest}) "
                     f"SELECT lower(hex(randomblob(16))), change_seq, office_code, 'X-' || receipt_no, "
                     f"tracking_code || 'x', NULL, {rest} FROM report LIMIT 1")
    assert client.get("/healthz").get_json()["reports"] == 4
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM report WHERE receipt_no LIKE 'X-%'")
    assert client.get("/healthz").get_json()["reports"] == 3


def test_healthz_counts_right_after_a_migration_rebuilt_the_report_table(app):
    with app.app_context(), db.connection_context():
        many_reports(2)
    path = app.config["DATABASE"]
    with sqlite3.connect(path) as conn:  # what peewee's SQLite migrator does to change a column: a new table
        conn.execute("DROP TRIGGER report_counted")
        conn.execute("DROP TRIGGER report_uncounted")
        conn.execute("UPDATE counter SET value = 0 WHERE name = 'reports'")
    again = create_app({"TESTING": True, "DATA_DIR": app.config["DATA_DIR"], "KDF_MEMORY_MB": 8})  # the next start
    client = again.test_client()
    assert client.get("/healthz").get_json()["reports"] == 2
    with again.app_context(), db.connection_context():
        many_reports(1, at=DAY + dt.timedelta(days=1))
    assert client.get("/healthz").get_json()["reports"] == 3
