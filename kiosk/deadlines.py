"""Deadlines in working days (Indonesian public holidays and cuti bersama off) or calendar days."""
import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app
from lokal import add_working_days, count_working_days

JAKARTA = ZoneInfo("Asia/Jakarta")


def today():
    """Today's date in Asia/Jakarta, the office's calendar."""
    return dt.datetime.now(JAKARTA).date()


def local_date(utc_naive):
    """The Asia/Jakarta date of a stored (naive UTC) timestamp."""
    return utc_naive.replace(tzinfo=dt.timezone.utc).astimezone(JAKARTA).date()


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
    """Whether a report filed on `on` (default today) misses the reporting deadline."""
    return (on or today()) > reporting_deadline(learned_on)


def kajian_awal_due(received_on):
    """When the initial review of a report received on `received_on` is due (2 working days)."""
    return add_working_days(received_on, current_app.config["KAJIAN_AWAL_DAYS"])


def working_days_left(due, on=None):
    """Working days after `on` (default today) up to and including `due`; negative, the working days
    it is overdue by."""
    on = on or today()
    day = dt.timedelta(days=1)
    if due >= on:
        return count_working_days(on + day, due)
    return -count_working_days(due + day, on)
