"""Staff filters take dates as three boxes too, in Indonesian order, without JavaScript: a day and month typed
the other way round (12/17 for 17 December) is caught at the month's box, and what was typed stays. A link with
only the date's boxes is the list of those dates, as the whole filter form is."""
from tests.support.html import date_value, errors, find


def test_the_list_filter_reads_three_boxes_in_indonesian_order(staff_as):
    petugas = staff_as("petugas")
    page = petugas.get("/staff/?start-day=2&start-month=12&start-year=2026")
    assert errors(page) == [] and date_value(page, "start") == "2026-12-02"  # 2 December, not 12 February


def test_a_swapped_day_and_month_is_caught_at_the_month(staff_as):
    petugas = staff_as("petugas")
    page = petugas.get("/staff/?start-day=12&start-month=17&start-year=2026")
    [(target, message)] = errors(page)
    assert target == "#start-month" and "bulan" in message.lower()
    assert find(page, "#start-month").get("aria-invalid") == "true"
    assert date_value(page, "start") == "12/17/2026"  # as typed, to correct
