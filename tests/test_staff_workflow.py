"""Status changes per docs/domain.md: every allowed change works and leaves a record, every other is
refused, each asks for what it needs, registration numbers follow the office's format, and the
reporter sees the public note but never the internal one."""
import itertools
import re

import pytest

from kiosk.choices import STATUSES
from kiosk.models import Report, StatusEvent
from kiosk.choices import CHECKS
from kiosk.staff.models import AuditLog
from kiosk.staff.workflow import TRANSITIONS
from tests.support import html
from tests.support.staff import make_report

ALLOWED = [(before, after) for before, nexts in TRANSITIONS.items() for after in nexts]
REFUSED = [pair for pair in itertools.product(STATUSES, STATUSES) if pair not in ALLOWED]
# What each change asks for besides the notes.
NEEDS = {"perlu_dilengkapi": {"public_note": "Lampirkan fotokopi KTP."},
         "tidak_diregistrasi": {"reason": "not_violation"},
         "diteruskan": {"agency": "gakkumdu"},
         "selesai": {"outcome": "violation"},
         "dilimpahkan": {"office": "36.01", "transfer_reason": "wilayah"}}
ALL_MET = {name: True for name in CHECKS}


def reviewed(status, **fields):
    """A report in `status` whose checklist is confirmed as all met and whose legal category is set."""
    fields.setdefault("kajian_checks", ALL_MET)
    fields.setdefault("legal_category", "pidana")
    return make_report(status=status, **fields)


def change(member, report, target, **form):
    return member.client.post(f"/staff/laporan/{report.id}/status/{target}",
                              data=dict(form, csrf_token=member.token))


@pytest.fixture
def petugas(staff_as):
    return staff_as("petugas")


def test_the_workflow_is_the_one_in_the_design():
    assert TRANSITIONS == {
        "diterima": ("kajian_awal", "dilimpahkan"),
        "kajian_awal": ("perlu_dilengkapi", "diregistrasi", "tidak_diregistrasi", "dilimpahkan"),
        "perlu_dilengkapi": ("kajian_awal", "diregistrasi", "tidak_diregistrasi", "dilimpahkan"),
        "diregistrasi": ("diteruskan", "selesai"),
        "diteruskan": ("selesai",),
        "tidak_diregistrasi": ("selesai",),
        "selesai": (),
        "dilimpahkan": (),
    }
    assert len(ALLOWED) == 14 and len(REFUSED) == 8 * 8 - 14


@pytest.mark.parametrize("before,after", ALLOWED, ids=[f"{b}->{a}" for b, a in ALLOWED])
def test_allowed_change_is_made_and_recorded(petugas, before, after):
    report = reviewed(before)
    form = dict(NEEDS.get(after, {}), internal_note="Dicek oleh petugas.")
    form.setdefault("public_note", "Laporan Anda sedang diproses.")
    response = change(petugas, report, after, **form)
    assert response.status_code == 303 and response.headers["Location"] == f"/staff/laporan/{report.id}"
    report = Report.get_by_id(report.id)
    assert report.status == after
    event = report.events.order_by(StatusEvent.change_seq.desc()).get()
    assert (event.status, event.actor, event.internal_note) == (after, "petugas", "Dicek oleh petugas.")
    assert event.public_note == form["public_note"]
    entry = AuditLog.get(AuditLog.action == "status_change")
    assert (entry.actor, entry.target, entry.detail["from"], entry.detail["to"]) == (
        "petugas", report.receipt_no, before, after)


@pytest.mark.parametrize("before,after", REFUSED, ids=[f"{b}->{a}" for b, a in REFUSED])
def test_change_the_workflow_does_not_allow_is_refused(petugas, before, after):
    report = reviewed(before)
    response = change(petugas, report, after, **NEEDS.get(after, {}))
    assert response.status_code == 409
    assert "This change is not possible" in response.get_data(as_text=True)
    assert Report.get_by_id(report.id).status == before
    assert report.events.count() == 1 and AuditLog.select().where(AuditLog.action == "status_change").count() == 0


def test_refused_change_offers_no_form(petugas):
    report = reviewed("selesai")
    page = petugas.client.get(f"/staff/laporan/{report.id}/status/kajian_awal")
    assert page.status_code == 409 and "<textarea" not in page.get_data(as_text=True)


def test_unknown_status_is_not_found(petugas):
    assert petugas.client.get(f"/staff/laporan/{reviewed('kajian_awal').id}/status/dibatalkan").status_code == 404


@pytest.mark.parametrize("target", ["perlu_dilengkapi", "diregistrasi", "tidak_diregistrasi"])
def test_review_decisions_need_the_checklist_confirmed(petugas, target):
    report = make_report(status="kajian_awal", legal_category="pidana")
    response = change(petugas, report, target, **NEEDS.get(target, {}))
    assert response.status_code == 409
    assert "Confirm the initial-review checklist first." in response.get_data(as_text=True)


def test_only_a_report_meeting_every_requirement_can_be_registered(petugas):
    report = reviewed("kajian_awal", kajian_checks=dict(ALL_MET, identity=False))
    response = change(petugas, report, "diregistrasi")
    assert response.status_code == 409 and "every formal and material requirement" in response.get_data(as_text=True)


def test_registration_needs_the_legal_category(petugas):
    report = reviewed("kajian_awal", legal_category="")
    response = change(petugas, report, "diregistrasi")
    assert response.status_code == 409 and "Set the legal category" in response.get_data(as_text=True)


@pytest.mark.parametrize("before,target,form,message", [
    ("kajian_awal", "tidak_diregistrasi", {}, "Choose the reason it is not registered."),
    ("kajian_awal", "tidak_diregistrasi", {"reason": "bosan"}, "Not a valid choice"),
    ("diregistrasi", "diteruskan", {}, "Choose the agency it is forwarded to."),
    ("diregistrasi", "diteruskan", {"agency": "other"}, "Enter the name of the agency."),
    ("diregistrasi", "selesai", {}, "Choose the outcome."),
    ("kajian_awal", "perlu_dilengkapi", {"public_note": "  "}, "Say what the reporter must complete."),
])
def test_each_change_asks_for_what_it_needs(petugas, before, target, form, message):
    report = reviewed(before)
    response = change(petugas, report, target, **form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "error-summary" in page and message in page
    assert Report.get_by_id(report.id).status == before


def test_registration_assigns_the_offices_numbers_in_sequence(petugas, staff_as):
    first, second = reviewed("kajian_awal"), reviewed("perlu_dilengkapi")
    page = petugas.post(f"/staff/laporan/{first.id}/status/diregistrasi", {}).get_data(as_text=True)
    petugas.post(f"/staff/laporan/{second.id}/status/diregistrasi", {})
    numbers = [Report.get_by_id(r.id).registration_no for r in (first, second)]
    pattern = r"(\d{3})/Reg/LP/PL/Kota/36\.73/(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)/(\d{4})"
    assert [re.fullmatch(pattern, n).group(1) for n in numbers] == ["001", "002"]
    assert f"Registration number: {numbers[0]}" in page
    event = Report.get_by_id(first.id).events.order_by(StatusEvent.change_seq.desc()).get()
    assert event.detail["registration_no"] == numbers[0] and "decision_due" in event.detail
    assert Report.get_by_id(first.id).registered_on is not None

    regency = reviewed("kajian_awal", office="36.01")  # Pandeglang is a kabupaten
    staff_as("other").post(f"/staff/laporan/{regency.id}/status/diregistrasi", {})
    assert re.fullmatch(r"001/Reg/LP/PL/Kab/36\.01/[IVX]+/\d{4}", Report.get_by_id(regency.id).registration_no)


def test_office_levels_in_registration_numbers():
    from kiosk.numbering import office_level

    assert [office_level(code) for code in ("36", "36.01", "36.03", "36.71", "36.73")] == [
        "Prov", "Kab", "Kab", "Kota", "Kota"]


def test_forwarding_and_closing_keep_the_agency_and_outcome(petugas):
    report = reviewed("diregistrasi", registration_no="001/Reg/LP/PL/Kota/36.73/XI/2026")
    change(petugas, report, "diteruskan", agency="other", agency_name="Ombudsman RI")
    change(petugas, report, "selesai", outcome="forwarded_done")
    report = Report.get_by_id(report.id)
    assert (report.status, report.forwarded_to, report.outcome) == ("selesai", "other", "forwarded_done")
    page = petugas.get(f"/staff/laporan/{report.id}").get_data(as_text=True)
    assert "Ombudsman RI" in page and "Handled by the agency it was forwarded to" in page
    assert "This report is closed" in page


def test_reporter_sees_the_public_note_and_never_the_internal_one(petugas, client):
    report = reviewed("kajian_awal")
    change(petugas, report, "tidak_diregistrasi", reason="not_violation",
           public_note="Ini sengketa proses: silakan ajukan ke SIPS.", internal_note="Pelapor sudah 3x melapor hal sama.")
    page = client.get(f"/status?kode={report.tracking_code}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Not registered" in page and "Ini sengketa proses: silakan ajukan ke SIPS." in page
    assert "3x melapor" not in page and "not_violation" not in page and "petugas" not in page


def test_the_reports_page_shows_the_history_with_internal_notes(petugas):
    report = reviewed("diterima")
    change(petugas, report, "kajian_awal", internal_note="Mulai kajian.")
    page = petugas.get(f"/staff/laporan/{report.id}").get_data(as_text=True)
    assert "Mulai kajian." in page and "Initial review" in page


def test_only_allowed_next_statuses_are_offered(petugas):
    report = reviewed("kajian_awal")
    page = petugas.get(f"/staff/laporan/{report.id}").get_data(as_text=True)
    linked = set(re.findall(rf"/staff/laporan/{report.id}/status/(\w+)", page))
    decided = {radio["value"] for radio in html.parse(page).select("input[name=decision]")} - {""}
    assert linked | decided == set(TRANSITIONS["kajian_awal"])  # the review form makes the decisions


def test_two_staff_cannot_make_the_same_change_twice(petugas, staff_as):
    report = reviewed("kajian_awal")
    admin = staff_as("admin")
    admin.get(f"/staff/laporan/{report.id}/status/diregistrasi")  # both open the form
    petugas.get(f"/staff/laporan/{report.id}/status/diregistrasi")
    assert change(petugas, report, "diregistrasi").status_code == 303
    assert change(admin, report, "diregistrasi").status_code == 409
    assert Report.get_by_id(report.id).registration_no.startswith("001/")
