"""Elections and their rules: a Pilkada counts calendar days and a Pemilu working days, so the same dates
are late for one and on time for the other; a report's election decides its deadlines, and changing it
counts them again; the admin page and the command add elections from their presets."""
import datetime as dt

from kiosk import elections, hours
from kiosk.deadlines import add_working_days, today
from kiosk.models import Report
from kiosk.staff.models import AuditLog
from tests.support import html
from tests.support.citizen import event_answers, submit, walk_to_review
from tests.support.staff import make_report

D = dt.date


def _two_elections(app):
    with app.app_context():
        pemilu = elections.add("36.73", "pemilu", "Pemilu 2029 (DPR, DPD, Presiden)", today() + dt.timedelta(days=90))
        pilkada = elections.add("36.73", "pilkada", "Pilkada Kota Serang 2029", today() + dt.timedelta(days=200),
                                level="walikota")
    return pemilu, pilkada


def _weekend_span():
    """A 'learned on' date 8 calendar days ago whose span holds a weekend but no public holiday: 8 days
    late for a Pilkada (7 days), on time for a Pemilu (7 working days)."""
    learned = today() - dt.timedelta(days=8)
    assert add_working_days(learned, 7) >= today()  # the span's weekend keeps it within 7 working days
    return learned


def test_the_event_step_asks_which_election_only_when_two_are_open(app, citizen):
    citizen.get("/lapor/kejadian?jenis=formal")
    assert not html.has(citizen.get("/lapor/kejadian").get_data(as_text=True), "input[name=election]")
    _two_elections(app)
    page = citizen.get("/lapor/kejadian").get_data(as_text=True)
    assert [label for label in html.texts(page, "fieldset:has(input[name=election]) label")] == [
        "Pemilu 2029 (DPR, DPD, Presiden)", "Pilkada Kota Serang 2029"]
    citizen.get("/bahasa/en?next=/lapor/kejadian")
    response = citizen.post("/lapor/kejadian", event_answers())
    assert "Choose the election the report is about." in html.text(response, ".error-summary")


def test_a_pilkada_report_learned_8_days_ago_over_a_weekend_is_late_and_a_pemilu_one_is_not(app, citizen):
    pemilu, pilkada = _two_elections(app)
    learned = _weekend_span()
    event = event_answers(occurred_on=learned.isoformat(), learned_on=learned.isoformat())
    walk_to_review(citizen, event=dict(event, election=pilkada.id))
    # The Pilkada's deadline has passed: the citizen is told before the identity step.
    assert citizen.get("/lapor/batas-waktu").request.path == "/lapor/batas-waktu"
    submit(citizen)
    walk_to_review(citizen, event=dict(event, election=pemilu.id))
    submit(citizen)
    late = {report.election_id: report for report in Report.select()}
    assert late[pilkada.id].late is True and late[pemilu.id].late is False
    # The Pilkada reviews in 2 calendar days, the Pemilu in 2 working days, both from the day the office counts
    # the report from (the next opening, for a report filed after hours: this test runs at any time of day).
    counted = {election: hours.counted_on("36.73", report.submitted_at) for election, report in late.items()}
    assert late[pilkada.id].kajian_awal_due == counted[pilkada.id] + dt.timedelta(days=2)
    assert late[pemilu.id].kajian_awal_due == add_working_days(counted[pemilu.id], 2)


def test_changing_a_reports_election_counts_its_deadlines_again(app, staff_as):
    pemilu, pilkada = _two_elections(app)
    learned = _weekend_span()
    with app.app_context():
        report = make_report(learned_on=learned, occurred_on=learned, election_id=pemilu.id,
                             kajian_awal_due=add_working_days(today(), 2))
    petugas = staff_as("petugas")
    page = petugas.get(f"/staff/laporan/{report.id}")
    assert html.text(page, "#election option[selected]") == "Pemilu 2029 (DPR, DPD, Presiden)"
    petugas.post(f"/staff/laporan/{report.id}/pemilihan", {"election": pilkada.id})
    changed = Report.get_by_id(report.id)
    assert changed.election_id == pilkada.id and changed.late is True
    assert changed.kajian_awal_due == today() + dt.timedelta(days=2) == changed.due_on
    entry = AuditLog.get(AuditLog.action == "election_change")
    assert entry.target == report.receipt_no and entry.detail["to"] == pilkada.id


def test_a_pilkada_decision_and_registration_number_follow_its_rules(app, accounts):
    from kiosk.choices import CHECKS
    from kiosk.staff.workflow import change_status, current_deadline

    with app.app_context():
        pilkada = elections.add("36.01", "pilkada", "Pilkada Pandeglang 2029", D(2029, 11, 28), level="bupati")
        report = make_report(office="36.01", election_id=pilkada.id, status="kajian_awal", legal_category="pidana",
                             kajian_checks={name: True for name in CHECKS})
        done = change_status(report, "diregistrasi", accounts["other"], {}, on=D(2029, 11, 2))  # a Friday
        assert done.registration_no == "01/Reg/L.P/PB/Kab/36.01/XI/2029"
        assert current_deadline(done)[1] == D(2029, 11, 5)  # 3 calendar days, the weekend counted


def test_admins_add_an_election_from_its_preset_with_a_rule_changed(app, staff_as):
    admin = staff_as("admin")
    assert staff_as("petugas").client.get("/staff/pemilihan").status_code == 403
    response = admin.post("/staff/pemilihan", {"kind": "pilkada", "level": "", "name": "Pilkada Banten 2029",
                                               "voting_day": "2029-11-28"})
    assert "Choose which Pilkada it is." in html.text(response, ".error-summary")
    response = admin.post("/staff/pemilihan", {"kind": "pilkada", "level": "gubernur", "name": "Pilkada Banten 2029",
                                               "voting_day": "2029-11-28", "decision_days": "4",
                                               "registration_pattern": "{seq.__class__}"})
    assert "Use only {seq}" in html.text(response, ".error-summary")
    admin.post("/staff/pemilihan", {"kind": "pilkada", "level": "gubernur", "name": "Pilkada Banten 2029",
                                    "voting_day": "2029-11-28", "decision_days": "4"})
    rules = elections.Election.get(elections.Election.name == "Pilkada Banten 2029").rule_set
    assert (rules.decision_days, rules.report_working, rules.completion_days, rules.notice_form) == (4, False, 2, "A.17")
    assert rules.registration_pattern.startswith("{seq:02d}/Reg/L.P/PG/")
    page = admin.get("/staff/pemilihan")
    assert "4 days" in html.text(page, "section.election") and AuditLog.get(AuditLog.action == "election_add")


def test_the_command_adds_and_lists_elections(app):
    runner = app.test_cli_runner()
    added = runner.invoke(args=["elections", "add", "--kind", "pilkada", "--level", "walikota", "--name",
                                "Pilkada Kota Serang 2029", "--voting-day", "2029-11-28", "--rule", "decision_days=5"])
    assert added.exit_code == 0, added.output
    listed = runner.invoke(args=["elections", "list"]).output
    assert "Pilkada Kota Serang 2029" in listed and "decision_days=5" in listed and "report_working=False" in listed
    refused = runner.invoke(args=["elections", "add", "--kind", "pilkada", "--name", "X", "--voting-day", "2029-11-28"])
    assert refused.exit_code != 0 and "--level" in refused.output
