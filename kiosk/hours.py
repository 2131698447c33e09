"""The office's reception hours: working days 08.00–16.00 (Friday to 16.30), and around the clock on the days
of an open election's quiet period and its voting day. The kiosk and the phone site take reports at any time;
one that arrives while the office is closed is counted from the next opening."""
import datetime as dt

from .deadlines import JAKARTA, is_working_day, local_date
from .elections import Election

OPENS, CLOSES, FRIDAY_CLOSES = dt.time(8, 0), dt.time(16, 0), dt.time(16, 30)
FRIDAY = 4


def around_the_clock(office_code, day):
    """Whether `day` is a quiet-period day or the voting day of one of the office's open elections."""
    return any(election.is_quiet(day) for election in Election.open_of(office_code))


def is_open(office_code, moment):
    """Whether the office receives reports at `moment` (aware, or naive in Asia/Jakarta)."""
    local = moment.astimezone(JAKARTA) if moment.tzinfo else moment.replace(tzinfo=JAKARTA)
    day = local.date()
    if around_the_clock(office_code, day):
        return True
    closes = FRIDAY_CLOSES if day.weekday() == FRIDAY else CLOSES
    return is_working_day(day) and OPENS <= local.time() < closes


def next_opening(office_code, moment):
    """When the office next opens after `moment` (itself when open): the time a report is counted from."""
    local = moment.astimezone(JAKARTA) if moment.tzinfo else moment.replace(tzinfo=JAKARTA)
    if is_open(office_code, local):
        return local
    day = local.date() if local.time() < OPENS else local.date() + dt.timedelta(days=1)
    for _ in range(60):  # the longest closure (Lebaran and its cuti bersama) is a fortnight
        if around_the_clock(office_code, day):
            return dt.datetime.combine(day, dt.time(), JAKARTA)
        if is_working_day(day):
            return dt.datetime.combine(day, OPENS, JAKARTA)
        day += dt.timedelta(days=1)
    return local


def counted_from(office_code, utc_naive):
    """For a report stored at `utc_naive`: the opening it is counted from when the office was closed, or None."""
    moment = utc_naive.replace(tzinfo=dt.timezone.utc)
    return None if is_open(office_code, moment) else next_opening(office_code, moment)


def counted_on(office_code, utc_naive):
    """The office's day a report stored at `utc_naive` is counted from: the day it came, or, when it came while
    the office was closed, the day of the next opening (the initial review's days run from there). Whether it
    came in time to be reported is still judged by the day it came."""
    opening = counted_from(office_code, utc_naive)
    return opening.date() if opening else local_date(utc_naive)
