"""The hub's counters (kiosk.tallies): what the provincial overview shows stays what the reports held say,
whatever order the batches come in, however often, and whatever a newer copy of a report changes."""
import collections
import datetime as dt
import itertools
import random
import sqlite3
import uuid

import pytest

from kiosk import create_app, tallies, tracking
from kiosk.db import db, schema_runner, writing
from kiosk.deadlines import local_date, today
from kiosk.models import Report, utcnow
from kiosk.staff import province
from kiosk.sync import ingest
from kiosk.sync.models import HubOffice
from tests.support import postgres
from tests.support.html import find
from tests.support.staff import make_hub_office

RECEIPTS = itertools.count(1)


def report_row(office="36.73", seq=1, at=None, **changes):
    """A report as an office sends it (decoded by the hub from the wire)."""
    at = at or utcnow()
    row = {"id": uuid.uuid4().hex, "change_seq": seq, "office_code": office,
           "receipt_no": f"{next(RECEIPTS):04d}/PL/{office}/XI/2026", "tracking_code": tracking.new_code(),
           "kind": "tip", "channel": "web", "submitted_at": at.isoformat(), "kajian_awal_due": at.date().isoformat(),
           "category": "politik_uang", "occurred_on": at.date().isoformat(), "learned_on": at.date().isoformat(),
           "regency_code": office, "district_code": f"{office}.01", "description": "Pembagian amplop.",
           "updated_at": at.isoformat()}
    row.update(changes)
    return row


def send(office_code, *reports):
    """Apply one batch of `reports` from the office, as the ingest API does (one write transaction)."""
    upto = max(row["change_seq"] for row in reports)
    with writing():
        office = HubOffice.get_by_id(office_code)
        ingest.apply(office, {"after": 0, "upto": upto, "final": False, "rows": {"report": list(reports)}}, None)


def scanned():
    """What the overview counted before the counters: every report held, grouped (the reference)."""
    offices = {}
    week = today() - dt.timedelta(days=6)
    for report in Report.select():
        office = offices.setdefault(report.office_code, {"reports": 0, "today": 0, "last_7_days": 0,
                                                         "by_status": collections.Counter(),
                                                         "by_category": collections.Counter(),
                                                         "by_channel": collections.Counter()})
        day = local_date(report.submitted_at)
        office["reports"] += 1
        office["today"] += day == today()
        office["last_7_days"] += day >= week
        for name in ("status", "category", "channel"):
            office["by_" + name][getattr(report, name)] += 1
    return {code: dict(office, **{name: dict(office[name]) for name in ("by_status", "by_category", "by_channel")})
            for code, office in offices.items()}


def registered(*codes):
    with writing():
        for code in codes:
            make_hub_office(code, ok_hours_ago=1)


def test_a_batch_applied_twice_counts_once(hub_app):
    registered("36.73")
    with hub_app.app_context(), db.connection_context():
        rows = [report_row(seq=1), report_row(seq=2, status="kajian_awal", category="tps"),
                report_row(seq=3, at=utcnow() - dt.timedelta(days=3), channel="kiosk")]
        send("36.73", *rows)
        send("36.73", *rows)
        counted = tallies.by_office()["36.73"]
        assert counted == {"reports": 3, "today": 2, "last_7_days": 3, "by_status": {"diterima": 2, "kajian_awal": 1},
                           "by_category": {"politik_uang": 2, "tps": 1}, "by_channel": {"web": 2, "kiosk": 1}}
        assert counted == scanned()["36.73"]


def test_an_older_copy_arriving_late_changes_nothing(hub_app):
    registered("36.73")
    with hub_app.app_context(), db.connection_context():
        newer = report_row(seq=10, status="diregistrasi")
        send("36.73", newer)
        send("36.73", dict(newer, change_seq=4, status="diterima"))  # sent earlier, arrives later
        assert tallies.by_office()["36.73"]["by_status"] == {"diregistrasi": 1}


def test_a_status_change_moves_the_report_between_counts(hub_app):
    registered("36.73", "36.01")
    with hub_app.app_context(), db.connection_context():
        report = report_row(seq=5)
        other = report_row("36.01", seq=1, status="selesai")
        send("36.73", report)
        send("36.01", other)
        send("36.73", dict(report, change_seq=9, status="selesai", category="tps"))
        counted = tallies.by_office()
        assert counted["36.73"]["by_status"] == {"selesai": 1} and counted["36.73"]["reports"] == 1
        assert counted["36.73"]["by_category"] == {"tps": 1}
        assert counted["36.01"]["by_status"] == {"selesai": 1}  # another office's counters are its own


def test_counters_match_the_reports_after_batches_in_any_order(hub_app):
    """Reports over ten days, each sent in several versions (status, category, way in; even the day moved),
    the batches shuffled and some sent twice: the counters equal a count of what the hub holds."""
    registered("36.73", "36.02")
    rng = random.Random(16)
    versions, seq = [], itertools.count(1)
    for n in range(40):
        office = "36.73" if n % 3 else "36.02"
        first = report_row(office, next(seq), at=utcnow() - dt.timedelta(days=rng.randrange(10), hours=rng.randrange(24)))
        versions.append(first)
        for _ in range(rng.randrange(3)):
            versions.append(dict(first, change_seq=next(seq), status=rng.choice(("kajian_awal", "selesai", "diregistrasi")),
                                 category=rng.choice(("tps", "apk", "politik_uang")), channel=rng.choice(("web", "sms")),
                                 submitted_at=(utcnow() - dt.timedelta(days=rng.randrange(10))).isoformat()))
    rng.shuffle(versions)
    versions += rng.sample(versions, 15)  # batches sent again
    with hub_app.app_context(), db.connection_context():
        for start in range(0, len(versions), 7):
            batch = versions[start:start + 7]
            for office in {row["office_code"] for row in batch}:
                send(office, *[row for row in batch if row["office_code"] == office])
        assert Report.select().count() == 40
        assert tallies.by_office() == scanned()


def test_the_overview_shows_the_counters(hub_app, hub_staff_as):
    registered("36.73", "36.01")
    with hub_app.app_context(), db.connection_context():
        send("36.73", report_row(seq=1), report_row(seq=2, status="kajian_awal"),
             report_row(seq=3, at=utcnow() - dt.timedelta(days=10)))
        send("36.01", report_row("36.01", seq=1, at=utcnow() - dt.timedelta(days=2)))
        rows = {row["code"]: row for row in province.office_rows(utcnow())}
        expected = scanned()
    for code in ("36.73", "36.01"):
        assert {name: rows[code][name] for name in expected[code]} == expected[code]
    serang = find(hub_staff_as("petugas").get("/staff/"), "#office-36-73")
    cells = [cell.get_text(strip=True) for cell in serang.select("td.num")]
    assert cells[:3] == ["2", "2", "3"]  # today, the last 7 days, held


@pytest.mark.hubs
def test_a_hub_upgraded_to_the_counters_counts_what_it_holds(tmp_path, hub_database):
    """A hub that held reports before the counters existed (and before transfers) has them counted by the
    migration, on SQLite and on PostgreSQL alike."""
    data = tmp_path / "data"
    data.mkdir()
    cluster = hub_database.cluster
    url = cluster.empty_database() if cluster else str(data / "kiosk.sqlite3")
    from kiosk.db import open_database

    db.initialize(open_database(url))
    with db.connection_context():
        schema_runner().up(target="0020_growth_indexes")
    postgres.closing_pool()
    now = utcnow()
    statements = [("INSERT INTO hub_office (code, public_key, token_hash, created_at, last_sync_result, last_seq) "
                   "VALUES ('36.73', '', '', ?, '', 0)", (now.isoformat(" "),))]
    for n, (status, days) in enumerate((("diterima", 0), ("selesai", 0), ("selesai", 30))):
        at = (now - dt.timedelta(days=days)).isoformat(" ")
        statements.append((
            "INSERT INTO report (id, change_seq, office_code, receipt_no, tracking_code, kind, channel, language, "
            "submitted_at, status, late, kajian_awal_due, declared_true, category, occurred_on, learned_on, "
            "regency_code, district_code, village_code, place_detail, description, terlapor_name, terlapor_role, "
            "reporter_type, reporter_nik_masked, identity_complete, personal, key_office, key_hub, indexed, "
            "physical_evidence, legal_category, updated_at, kajian_by, needs_review, forwarded_to, outcome, "
            "election_id, assigned_to) VALUES (?, ?, '36.73', ?, ?, 'tip', 'web', 'id', ?, ?, FALSE, ?, TRUE, 'tps', "
            "?, ?, '36.73', '36.73.01', '', '', 'x', '', '', '', '', FALSE, '', '', '', FALSE, '', '', ?, '', FALSE, "
            "'', '', '', '')",
            (uuid.uuid4().hex, n + 1, f"000{n}/PL", tracking.new_code(), at, status, at[:10], at[:10], at[:10], at)))
    if cluster:
        for sql, params in statements:
            postgres.query(url, sql, params)
    else:
        with sqlite3.connect(url) as conn:
            for sql, params in statements:
                conn.execute(sql, params)
    app = create_app({"TESTING": True, "DATA_DIR": str(data), "ROLE": "hub", "OFFICE_CODE": "36", "KDF_MEMORY_MB": 8,
                      **({"DATABASE_URL": url} if cluster else {})})  # migrates on start
    try:
        with app.app_context(), db.connection_context():
            counted = tallies.by_office()["36.73"]
            assert counted == scanned()["36.73"]
            assert counted["reports"] == 3 and counted["by_status"] == {"diterima": 1, "selesai": 2}
            assert {(r.transfer_office, r.transferred_from) for r in Report.select()} == {("", "")}
            assert [m.name for m in schema_runner().status() if not m.applied] == []  # every migration, on this one too
    finally:
        postgres.closing_pool()
