"""Deadlines in working days (Indonesian public holidays and cuti bersama off) or calendar days, under an
election's rules (Pemilu or Pilkada: kiosk.elections)."""
import datetime as dt
import logging
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from zoneinfo import ZoneInfo

import lokal
from flask import current_app

JAKARTA = ZoneInfo("Asia/Jakarta")
DAY = dt.timedelta(days=1)
# No deadline is counted further than this: a mistyped or hostile date (year 9999) costs a bounded loop.
HORIZON = dt.timedelta(days=3660)
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


@dataclass(frozen=True)
class Rules:
    """An election's deadlines as data (kiosk.elections holds the presets and their legal sources): each a
    number of days and whether they are working days."""

    report_days: int = 7  # to file a formal report after learning of the violation
    report_working: bool = True
    kajian_days: int = 2  # the initial review after receipt
    kajian_working: bool = True
    completion_days: int = 3  # the reporter completes after the notice
    completion_working: bool = True
    decision_days: int = 7  # the decision after registration
    decision_working: bool = True
    extension_days: int = 7  # more when more information is needed
    registration_pattern: str = "{seq:03d}/Reg/LP/PL/{level}/{office}/{month}/{year}"
    notice_form: str = ""  # the status notice's form: '' (pemberitahuan status laporan) or 'A.17' (Pilkada)

    def as_dict(self):
        """The rules as stored with an election."""
        return asdict(self)


RULE_FIELDS = tuple(field.name for field in fields(Rules))


def office_rules():
    """The rules of a report that belongs to no election: the Pemilu's, with the office's settings
    (KIOSK_DEADLINE_DAYS, KIOSK_DEADLINE_WORKING_DAYS, KIOSK_KAJIAN_AWAL_DAYS, KIOSK_COMPLETION_DAYS)."""
    config = current_app.config
    return Rules(report_days=config["DEADLINE_DAYS"], report_working=config["DEADLINE_WORKING_DAYS"],
                 kajian_days=config["KAJIAN_AWAL_DAYS"], completion_days=config["COMPLETION_DAYS"])


def reporting_deadline(learned_on, rules=None):
    """The last day a formal report may be filed for a violation learned of on `learned_on` (Pemilu: UU 7/2017
    Pasal 454(6), 7 working days; Pilkada: UU 1/2015 Pasal 134(4), 7 days)."""
    rules = rules or office_rules()
    return add_days(learned_on, rules.report_days, rules.report_working)


def is_late(learned_on, on=None, rules=None):
    """Whether a report filed on `on` (default today) misses the reporting deadline. A date after `on`
    (a draft keeps a mistyped year 9999 until it is corrected) is not late."""
    on = on or today()
    return learned_on < on and on > reporting_deadline(learned_on, rules)


def kajian_awal_due(received_on, rules=None):
    """When the initial review of a report received on `received_on` is due."""
    rules = rules or office_rules()
    return add_days(received_on, rules.kajian_days, rules.kajian_working)


def completion_due(noticed_on, rules=None):
    """The last day the reporter may complete a report told on `noticed_on` what is missing."""
    rules = rules or office_rules()
    return add_days(noticed_on, rules.completion_days, rules.completion_working)


def decision_due(registered_on, rules=None, extended=False):
    """When the decision on a report registered on `registered_on` is due (with the extension when `extended`)."""
    rules = rules or office_rules()
    days = rules.decision_days + (rules.extension_days if extended else 0)
    return add_days(registered_on, days, rules.decision_working)


def working_days_left(due, on=None):
    """Working days after `on` (default today) up to and including `due`; negative, the working days
    it is overdue by."""
    on = on or today()
    if due >= on:
        return count_working_days(on + DAY, due)
    return -count_working_days(due + DAY, on)
