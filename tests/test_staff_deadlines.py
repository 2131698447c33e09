"""Deadlines in working days with Indonesian public holidays and cuti bersama: the initial review, the
reporter's completion window and the decision after registration, across Christmas 2026 (cuti bersama
on the 24th, the holiday on the 25th), New Year 2027 and Isra Mikraj (5 January 2027)."""
import datetime as dt

import pytest

from kiosk.deadlines import kajian_awal_due, working_days_left
from kiosk.choices import CHECKS
from kiosk.staff.workflow import change_status, current_deadline, review_days_left
from tests.support.staff import make_report

D = dt.date


def test_initial_review_due_skips_christmas_and_its_cuti_bersama(app):
    with app.app_context():
        # Wednesday 23 Dec + 2 working days: not Thu 24 (cuti bersama), Fri 25 (Christmas), the weekend.
        assert kajian_awal_due(D(2026, 12, 23)) == D(2026, 12, 29)
        assert kajian_awal_due(D(2026, 12, 21)) == D(2026, 12, 23)  # no holiday in the way


@pytest.mark.parametrize("on,left", [
    (D(2026, 12, 23), 2),   # Wednesday: Mon 28 and Tue 29 are left
    (D(2026, 12, 24), 2),   # cuti bersama
    (D(2026, 12, 25), 2),   # Christmas
    (D(2026, 12, 28), 1),
    (D(2026, 12, 29), 0),   # due today
    (D(2026, 12, 30), -1),
    (D(2027, 1, 4), -3),    # Wed 30, Thu 31, Mon 4: New Year's Day and the weekend do not count
])
def test_working_days_left_across_the_holidays(on, left):
    assert working_days_left(D(2026, 12, 29), on) == left


def _all_met(**fields):
    return make_report(status="kajian_awal", kajian_checks={name: True for name in CHECKS},
                       legal_category="administratif", **fields)


def test_completion_window_and_decision_due_across_the_holidays(app, accounts):
    with app.app_context():
        needs = change_status(_all_met(), "perlu_dilengkapi", accounts["petugas"],
                              {"public_note": "Lengkapi alamat terlapor."}, on=D(2026, 12, 23))
        assert needs.completion_due == D(2026, 12, 30)  # 3 working days: Mon 28, Tue 29, Wed 30
        assert current_deadline(needs)[1] == D(2026, 12, 30)

        registered = change_status(_all_met(), "diregistrasi", accounts["petugas"], {}, on=D(2026, 12, 22))
        # 7 working days: 23, 28, 29, 30, 31 Dec, 4 Jan, then not 5 Jan (Isra Mikraj): 6 Jan.
        assert current_deadline(registered)[1] == D(2027, 1, 6)
        assert registered.registration_no.endswith("/XII/2026")
        assert registered.events.count() == 2


def test_review_deadline_counts_only_while_the_review_is_open():
    due = D(2026, 12, 29)
    assert review_days_left(make_report(kajian_awal_due=due, status="kajian_awal"), D(2026, 12, 23)) == 2
    assert review_days_left(make_report(kajian_awal_due=due, status="diregistrasi"), D(2026, 12, 23)) is None


def test_overdue_reviews_stand_out_in_the_list(staff_as):
    from kiosk.deadlines import today

    overdue = make_report(kajian_awal_due=today() - dt.timedelta(days=10))
    on_time = make_report(kajian_awal_due=today() + dt.timedelta(days=14))
    page = staff_as("petugas").get(f"/staff/?start={today()}").get_data(as_text=True)  # the received list
    late_by = -working_days_left(overdue.kajian_awal_due)
    rows = {report.receipt_no: page.split(report.receipt_no)[0].rsplit("<tr", 1)[1] for report in (overdue, on_time)}
    assert 'class="overdue"' in rows[overdue.receipt_no] and 'class="overdue"' not in rows[on_time.receipt_no]
    assert f"Overdue by {late_by} working day" in page
    assert f"{working_days_left(on_time.kajian_awal_due)} working days left" in page
