"""Deadlines in working days (Indonesian public holidays and cuti bersama off) or calendar days."""
import datetime as dt
import logging
from functools import lru_cache
from zoneinfo import ZoneInfo

import lokal
from flask import current_app

JAKARTA = ZoneInfo("Asia/Jakarta")
DAY = dt.timedelta(days=1)
DECISION_DAYS = 7  # working days from registration to a decision (extendable by 7)
# No deadline is counted further than this: a mistyped or hostile date (year 9999) costs a bounded loop.
HORIZON = dt.timedelta(days=3660)
DECISION_EXTENSION_DAYS = 7
log = logging.getLogger(__name__)


_warned_years = set()


def _knows_holidays(year):
    """Whether lokal-id has the official holidays of `year`; says so in the log, once, when not and the year
    is one the office works in now. A year a visitor typed (1, or 9999) is worth no line, and remembering
    every such year would be a memory keyed by what anyone typed."""
    known = year in lokal.HOLIDAY_YEARS
    if not known and abs(year - today().year) <= 1 and year not in _warned_years:
        _warned_years.add(year)
        log.warning("no public holidays known for %d: only weekends are off (update lokal-id)", year)
    return known


@lru_cache(maxsize=4096)  # a day's answer never changes, and each page asks for the same few days again;
# bounded, and keyed by dates (parsed, of one size), never by raw text
def is_working_day(day):
    """Monday to Friday and neither a public holiday nor cuti bersama. lokal-id refuses a year whose
    decree it lacks (before 2026, or a year not yet published); a date a person types must never break
    the report, so for such a year only the weekend is off."""
    if _knows_holidays(day.year):
        return lokal.is_working_day(day)
    return day.weekday() < 5


def add_working_days(start, days):
    """The date `days` working days after `start` (at most ten years of them)."""
    day, days = start, min(days, 2610)
    while days > 0:
        day += DAY
        days -= is_working_day(day)
    return day


def count_working_days(start, end):
    """Working days from `start` to `end`, both included (a span over ten years counts its first ten)."""
    end = min(end, start + HORIZON) if start <= dt.date.max - HORIZON else end
    count, day = 0, start
    while day <= end:
        count += is_working_day(day)
        day += DAY
    return count


def today():
    """Today's date in Asia/Jakarta, the office's calendar."""
    return dt.datetime.now(JAKARTA).date()


def local_date(utc_naive):
    """The Asia/Jakarta date of a stored (naive UTC) timestamp."""
    return utc_naive.replace(tzinfo=dt.timezone.utc).astimezone(JAKARTA).date()


def utc_bounds(start, end):
    """The naive-UTC instants from the start of day `start` to the end of day `end`, Asia/Jakarta: what
    a day means for stored times. A day typed as year 1 or 9999 means 'since ever' or 'until ever': kept
    a day inside the calendar, so that the shift to UTC cannot run off its end."""
    start, end = max(start, dt.date.min + DAY), min(end, dt.date.max - DAY)
    begin = dt.datetime.combine(start, dt.time(), JAKARTA)
    stop = dt.datetime.combine(end + DAY, dt.time(), JAKARTA)
    return tuple(moment.astimezone(dt.timezone.utc).replace(tzinfo=None) for moment in (begin, stop))


def add_days(start, days, working=True):
    """The date `days` days after `start`, counting only working days when `working`."""
    if working:
        return add_working_days(start, days)
    return start + dt.timedelta(days=days)


def reporting_deadline(learned_on):
    """The last day a formal report may be filed for a violation learned of on `learned_on`
    (UU 7/2017 Pasal 454(6): 7 days, working days by default; both configurable)."""
    config = current_app.config
    return add_days(learned_on, config["DEADLINE_DAYS"], config["DEADLINE_WORKING_DAYS"])


def is_late(learned_on, on=None):
    """Whether a report filed on `on` (default today) misses the reporting deadline. A date after `on`
    (a draft keeps a mistyped year 9999 until it is corrected) is not late."""
    on = on or today()
    return learned_on < on and on > reporting_deadline(learned_on)


def kajian_awal_due(received_on):
    """When the initial review of a report received on `received_on` is due (2 working days)."""
    return add_working_days(received_on, current_app.config["KAJIAN_AWAL_DAYS"])


def decision_due(registered_on):
    """When the decision on a report registered on `registered_on` is due (DECISION_DAYS working days)."""
    return add_working_days(registered_on, DECISION_DAYS)


def working_days_left(due, on=None):
    """Working days after `on` (default today) up to and including `due`; negative, the working days
    it is overdue by."""
    on = on or today()
    if due >= on:
        return count_working_days(on + DAY, due)
    return -count_working_days(due + DAY, on)
