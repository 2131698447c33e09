"""Personal data kept only as long as needed and open to its owner (UU 27/2022): staff find a walk-in by
exact NIK, phone or a word of a name through blind indexes (no readable copy in the database), an admin
answers a data-subject request (a copy, a correction), and reports closed longer than their retention period
lose their personal data, keeping a tombstone."""
import datetime as dt
import json
from pathlib import Path

import pytest

from kiosk import retention
from kiosk.deadlines import today
from kiosk.models import Evidence, Report, StatusEvent, Witness
from kiosk.search import SearchToken
from kiosk.staff.models import AuditLog
from tests.support import html
from tests.support.citizen import REPORTER
from tests.support.files import jpeg_bytes
from tests.support.sealed import add_evidence, add_witness, person
from tests.support.staff import make_report

NIK = REPORTER["reporter_nik"]


@pytest.mark.parametrize("typed", [NIK, "3673 0155 0890 0002", "0812-3456-7890", "+62 812 3456 7890", "siti",
                                   "Rahmawati SITI", "sukses calon"])
def test_staff_find_a_walk_in_by_nik_phone_or_a_name_word(staff_as, typed):
    mine = make_report()
    make_report(reporter_nik="3673014107850009", reporter_name="Budi Hartono", reporter_phone="+6285700001111",
                terlapor_name="Kepala Desa")
    petugas = staff_as("petugas")
    page = petugas.get("/staff/", query_string={"q": typed})
    assert [row[0] for row in html.rows(page, "#results table")] == [mine.receipt_no]
    assert AuditLog.get(AuditLog.action == "search_personal").actor == "petugas"


def test_the_index_holds_no_readable_value(app, staff_as):
    make_report()
    staff_as("petugas").get("/staff/", query_string={"q": "siti"})  # a search indexes the reports first
    tokens = [token for (token,) in SearchToken.select(SearchToken.token).tuples()]
    assert len(tokens) >= 4 and all(len(token) == 32 for token in tokens)
    data = Path(app.config["DATABASE"]).read_bytes() + Path(app.config["DATABASE"] + "-wal").read_bytes()
    assert NIK.encode() not in data and b"Rahmawati" not in data


def test_a_search_by_personal_data_needs_the_key(app, accounts):
    from tests.support.staff import StaffMember, make_staff

    make_report()
    make_staff("tanpa", granted=False)
    member = StaffMember(app.test_client())
    member.login("tanpa")
    page = member.get("/staff/", query_string={"q": NIK})
    assert html.text(page, ".result-count") == "0 reports"


def test_an_admin_gives_the_reporter_a_copy_of_their_data(staff_as):
    report = make_report()
    add_witness(report, "Budi Santoso", "Kp. Baru", "+6281311112222")
    make_report(reporter_nik="3673014107850009", reporter_name="Orang Lain")
    staff_as("petugas").get(f"/staff/laporan/{report.id}")  # processed: a petugas opened it
    admin = staff_as("admin")
    page = admin.get("/staff/hak-subjek", query_string={"nik": NIK})
    assert html.links(page, "main ul.list")[0] == f"/staff/laporan/{report.id}"
    copy = admin.post("/staff/hak-subjek/ekspor", {"nik": NIK})
    assert copy.mimetype == "application/json" and "attachment" in copy.headers["Content-Disposition"]
    held = json.loads(copy.data)
    (only,) = held["reports"]
    assert only["receipt_no"] == report.receipt_no and only["reporter"]["reporter_nik"] == NIK
    assert only["reporter"]["reporter_address"] == REPORTER["reporter_address"]
    assert "Budi Santoso" not in copy.data.decode() and only["witnesses_named"] == 1  # witnesses' data is theirs
    assert [(entry["by"], entry["action"]) for entry in only["processing"]] == [("petugas", "view_report")]
    assert "Orang Lain" not in copy.data.decode()
    actions = [e.action for e in AuditLog.select().order_by(AuditLog.id)]
    assert "pdp_search" in actions and "pdp_export" in actions


def test_an_admin_corrects_the_reporters_data(staff_as):
    report = make_report()
    admin = staff_as("admin")
    form = {"reporter_name": "Siti Rahmawati Putri", "reporter_birth_place": "Serang", "reporter_birth_date": "1990-08-15",
            "reporter_sex": "P", "reporter_occupation": "Kepala Sekolah", "reporter_nationality": "Indonesia",
            "reporter_address": "Jl. Baru No. 1, Serang", "reporter_phone": "0812 3456 7890"}
    done = admin.post(f"/staff/hak-subjek/{report.id}", form)
    assert "is corrected" in done.get_data(as_text=True)
    corrected = person(Report.get_by_id(report.id))
    assert corrected.reporter_name == "Siti Rahmawati Putri" and corrected.reporter_occupation == "Kepala Sekolah"
    assert corrected.reporter_nik == NIK  # not changed here
    entry = AuditLog.get(AuditLog.action == "pdp_correct")
    assert entry.target == report.receipt_no and "reporter_name" in entry.detail["fields"]
    assert "Putri" not in json.dumps(entry.detail)
    assert [row[0] for row in html.rows(admin.get("/staff/", query_string={"q": "putri"}), "#results table")] \
        == [report.receipt_no]  # indexed again under the corrected name


def test_petugas_cannot_answer_data_subject_requests(staff_as):
    assert staff_as("petugas").client.get("/staff/hak-subjek").status_code == 403


def closed(days_ago, outcome="no_violation"):
    """A report closed `days_ago` days ago, with a witness and a photo."""
    from flask import current_app

    report = make_report(status="selesai", outcome=outcome)
    StatusEvent.create(report=report, status="selesai", at=dt.datetime.now() - dt.timedelta(days=days_ago),
                       actor="petugas", change_seq=1)
    add_witness(report, "Budi Santoso")
    add_evidence(report, current_app.config["EVIDENCE_DIR"], jpeg_bytes(), "foto.jpg", "image/jpeg")
    return report


def test_retention_destroys_personal_data_and_keeps_a_tombstone(app):
    app.config["RETENTION_DAYS"] = "1825,withdrawn=30"
    with app.app_context():
        old, young, withdrawn = closed(1900), closed(100), closed(40, "withdrawn")
        listed, _ = retention.run(app.config, dry_run=True)
        assert sorted(report.receipt_no for report, *_ in listed) == sorted([old.receipt_no, withdrawn.receipt_no])
        assert Report.get_by_id(old.id).personal  # a dry run destroys nothing
        files_before = set(p.name for p in Path(app.config["EVIDENCE_DIR"]).iterdir())
        retention.run(app.config)
        for gone in (old, withdrawn):
            tomb = Report.get_by_id(gone.id)
            assert tomb.personal == tomb.key_office == tomb.key_hub == tomb.reporter_nik_masked == ""
            assert tomb.erased_on == today() and tomb.receipt_no == gone.receipt_no
            assert tomb.status == "selesai" and tomb.events.count() == 2 and tomb.witnesses.count() == 1
            assert all(w.personal == "" for w in tomb.witnesses) and all(e.blob == "" for e in tomb.evidence)
        assert Report.get_by_id(young.id).personal and Evidence.get(Evidence.report == young).blob
        files_after = set(p.name for p in Path(app.config["EVIDENCE_DIR"]).iterdir())
        assert files_after == {Evidence.get(Evidence.report == young).blob} and len(files_before) == 3
        assert AuditLog.select().where(AuditLog.action == "retention_erase").count() == 2
        assert Witness.select().count() == 3


def test_kiosk_retention_dry_run_lists_and_the_real_run_destroys(app):
    with app.app_context():  # as the `kiosk` command provides
        old = closed(2000)
        result = app.test_cli_runner().invoke(args=["retention", "--dry-run"])
        assert result.exit_code == 0 and old.receipt_no in result.output and "would destroy" in result.output
        result = app.test_cli_runner().invoke(args=["retention"])
        assert "destroyed the personal data of 1 reports" in result.output
        assert Report.get_by_id(old.id).erased_on is not None


def test_a_transferred_copy_is_destroyed_after_its_period_once_its_arrival_is_known(app):
    from kiosk.transfers import ARRIVED, Transfer

    app.config["RETENTION_DAYS"] = "1825,dilimpahkan=90"
    with app.app_context():
        reports = []
        for _ in range(3):
            report = make_report(status="dilimpahkan", transfer_office="36.01")
            StatusEvent.create(report=report, status="dilimpahkan", at=dt.datetime.now() - dt.timedelta(days=120),
                               actor="petugas", change_seq=1)
            reports.append(report)
        arrived, on_its_way, recent = reports
        StatusEvent.update(at=dt.datetime.now() - dt.timedelta(days=30)).where(
            StatusEvent.report == recent, StatusEvent.status == "dilimpahkan").execute()
        for report in (arrived, recent):
            Transfer.create(report=report.id, from_office="36.73", to_office="36.01", tracking_code=report.tracking_code,
                            receipt_no=report.receipt_no, state=ARRIVED, new_receipt_no="0001/PL/36.01/XII/2026")
        listed, _ = retention.run(app.config)
        assert [report.receipt_no for report, *_ in listed] == [arrived.receipt_no]
        assert Report.get_by_id(arrived.id).personal == "" and Report.get_by_id(arrived.id).erased_on == today()
        # Not yet known to have arrived: the office it went to may still need this copy. Transferred lately: its
        # period runs.
        assert Report.get_by_id(on_its_way.id).personal and Report.get_by_id(recent.id).personal
