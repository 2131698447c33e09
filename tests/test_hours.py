"""Reception hours: working days 08.00–16.00, Friday to 16.30, around the clock in an open election's quiet
period and on its voting day; the landing page says so and, when the office is closed, from when a report
sent now is counted; a receipt of a report taken while closed says the same."""
import datetime as dt

from kiosk import elections, hours
from kiosk.deadlines import JAKARTA
from tests.support import html

WIB = JAKARTA


def at(*args):
    return dt.datetime(*args, tzinfo=WIB)


def test_working_hours_friday_and_the_weekend(app):
    with app.app_context():
        assert hours.is_open("36.73", at(2026, 12, 1, 9, 0))  # a Tuesday morning
        assert not hours.is_open("36.73", at(2026, 12, 1, 16, 0))
        assert hours.is_open("36.73", at(2026, 12, 4, 16, 15))  # Friday, to 16.30
        assert not hours.is_open("36.73", at(2026, 12, 5, 10, 0))  # Saturday
        assert hours.next_opening("36.73", at(2026, 12, 4, 17, 0)) == at(2026, 12, 7, 8, 0)  # Monday 08.00
        # Christmas Eve (cuti bersama), Christmas, the weekend: from Wednesday evening to Monday morning
        assert hours.next_opening("36.73", at(2026, 12, 23, 18, 0)) == at(2026, 12, 28, 8, 0)


def test_the_quiet_period_and_voting_day_are_around_the_clock(app):
    with app.app_context():
        elections.add("36.73", "pilkada", "Pilkada Kota Serang 2029", dt.date(2029, 11, 28), level="walikota")
        assert hours.is_open("36.73", at(2029, 11, 25, 2, 0))  # the quiet period, a Sunday night
        assert hours.is_open("36.73", at(2029, 11, 28, 23, 0))  # voting day
        assert not hours.is_open("36.73", at(2029, 11, 29, 23, 0))


def test_the_landing_page_shows_the_hours(client):
    page = client.get("/", headers={"Accept-Language": "en"})
    assert "working days 08.00–16.00 (Friday to 16.30)" in html.text(page, "#step")


def test_a_report_filed_while_the_office_is_closed_is_reviewed_from_the_next_opening(app):
    """Filed on Saturday night (Asia/Jakarta): the initial review's two working days run from Monday 08.00,
    the day the office opens, while the report is judged on time by the day it came."""
    import datetime as dt

    from kiosk import hours
    from kiosk.deadlines import kajian_awal_due

    saturday_night = dt.datetime(2026, 11, 28, 14, 0)  # 21.00 WIB, naive UTC as stored
    with app.app_context():
        assert hours.counted_on("36.73", saturday_night) == dt.date(2026, 11, 30)
        assert kajian_awal_due(hours.counted_on("36.73", saturday_night)) == dt.date(2026, 12, 2)
        tuesday_noon = dt.datetime(2026, 12, 1, 5, 0)  # 12.00 WIB: open
        assert hours.counted_on("36.73", tuesday_noon) == dt.date(2026, 12, 1)
