"""The review in one form: from 'Received' to 'Registered' in one post (the review starts when it is saved),
the decision's note template when staff leave the note empty, the form's own errors, the warning for a
category forwarded where it does not go, and the next report one click away."""
import datetime as dt

from kiosk.deadlines import today
from kiosk.models import Report, StatusEvent
from kiosk.staff.workflow import decision_due
from tests.support import html
from tests.support.staff import make_report

ALL_MET = {name: "y" for name in ("identity", "terlapor", "deadline", "time_place", "description", "evidence")}


def test_one_post_takes_a_received_report_to_registered(staff_as, app):
    report = make_report()
    petugas = staff_as("petugas")
    page = petugas.get(f"/staff/laporan/{report.id}")
    assert html.has(page, ".report-work #kajian form input[name=decision][value=diregistrasi]")
    done = petugas.post(f"/staff/laporan/{report.id}/kaji", dict(ALL_MET, legal_category="pidana",
                                                                 decision="diregistrasi", internal_note="Pleno."))
    registered = Report.get_by_id(report.id)
    assert registered.status == "diregistrasi" and registered.legal_category == "pidana"
    assert f"Registration number: {registered.registration_no}." in html.text(done, ".flash-success")
    events = list(StatusEvent.select().where(StatusEvent.report == report.id).order_by(StatusEvent.at))
    assert [e.status for e in events] == ["diterima", "kajian_awal", "diregistrasi"]
    assert events[-1].public_note.startswith("Your report meets the requirements")  # the template, as none was typed
    assert events[-1].internal_note == "Pleno."
    with app.app_context():
        assert registered.due_on == decision_due(registered) > today()  # the queue now orders it by its decision


def test_the_form_says_what_a_decision_lacks_and_changes_nothing(staff_as):
    report = make_report()
    petugas = staff_as("petugas")
    refused = petugas.post(f"/staff/laporan/{report.id}/kaji", dict(ALL_MET, decision="diregistrasi"))
    assert refused.status_code == 400
    assert [message for _, message in html.errors(refused)] == ["Set the legal category before registering the report."]
    unmet = petugas.post(f"/staff/laporan/{report.id}/kaji", dict(ALL_MET, evidence="", legal_category="pidana",
                                                                  decision="diregistrasi"))
    assert "meets every formal and material requirement" in html.text(unmet, ".error-summary")
    no_reason = petugas.post(f"/staff/laporan/{report.id}/kaji", dict(ALL_MET, decision="tidak_diregistrasi"))
    assert "Choose the reason it is not registered." in html.text(no_reason, ".error-summary")
    assert Report.get_by_id(report.id).status == "diterima"


def test_a_category_forwarded_where_it_does_not_go_is_warned_of(staff_as):
    report = make_report(status="diteruskan", legal_category="administratif", forwarded_to="gakkumdu",
                         registered_on=today(), registration_no="001/Reg/LP/PL/Kota/36.73/XII/2026")
    page = staff_as("petugas").get(f"/staff/laporan/{report.id}")
    assert "check that this is meant" in html.text(page, ".notice.warning")


def test_the_next_report_in_the_queue_is_one_click_away(staff_as):
    first = make_report(kajian_awal_due=today())
    second = make_report(kajian_awal_due=today() + dt.timedelta(days=1))
    petugas = staff_as("petugas")
    link = html.link(petugas.get(f"/staff/laporan/{first.id}"), f"Next report in the queue: {second.receipt_no}")
    assert link == f"/staff/laporan/{second.id}"


def test_an_admin_words_the_offices_note_templates_and_decisions_use_them(staff_as):
    from kiosk.staff.models import AuditLog
    admin = staff_as("admin")
    page = admin.get("/staff/catatan")
    assert html.text(page, "#note-perlu_dilengkapi").startswith("Your report needs more")
    mine = "Mohon bawa fotokopi KTP ke meja piket Bawaslu Kota Serang paling lambat 3 hari."
    saved = admin.post("/staff/catatan", {"perlu_dilengkapi": mine})
    assert "The note templates are saved." in html.text(saved, ".flash-success")
    assert html.text(saved, "#note-perlu_dilengkapi") == mine and "This office's own wording." in saved.get_data(as_text=True)
    assert AuditLog.get(AuditLog.action == "note_templates").detail["fields"] == "perlu_dilengkapi"

    report = make_report(status="kajian_awal")
    staff_as("petugas").post(f"/staff/laporan/{report.id}/kaji", dict(ALL_MET, evidence="", decision="perlu_dilengkapi"))
    asked = StatusEvent.get((StatusEvent.report == report.id) & (StatusEvent.status == "perlu_dilengkapi"))
    assert asked.public_note == mine  # no note typed: the office's template, whole

    too_long = admin.post("/staff/catatan", {"perlu_dilengkapi": "x" * 2001})
    assert too_long.status_code == 400 and "Use at most 2000 characters." in too_long.get_data(as_text=True)
    back = admin.post("/staff/catatan", {"perlu_dilengkapi": ""})  # empty: the standard wording again
    assert html.text(back, "#note-perlu_dilengkapi").startswith("Your report needs more")
    assert staff_as("petugas").get("/staff/catatan").status_code == 403
