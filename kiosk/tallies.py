"""The hub's counters: how many reports each office holds per day (Asia/Jakarta) by status, by category and by
way in, kept when a batch is applied, in its transaction, so that the provincial overview reads a few thousand
counter rows instead of every report of the province. Each office-day a batch touches is counted again from
the reports the hub then holds (an index range of (office, date)): a batch that arrives twice, out of order
or with a report's new status leaves them exactly right, as ingest only replaces a row by a newer one.
Portable: the same queries and upserts on SQLite and PostgreSQL."""
import collections
import datetime as dt

import peewee as pw
from peewee import EXCLUDED

from .db import BaseModel
from .deadlines import local_date, today, utc_bounds
from .models import Report

DIMENSIONS = ("status", "category", "channel")  # Report columns counted; each report counts once in each
WEEK = 7


class DayTally(BaseModel):
    """The reports of an office received on `day` whose `dimension` (a Report column) has `value`."""

    office_code = pw.CharField()
    day = pw.DateField()
    dimension = pw.CharField()
    value = pw.CharField()
    n = pw.IntegerField(default=0)

    class Meta:
        primary_key = pw.CompositeKey("office_code", "day", "dimension", "value")
        indexes = ((("day", "dimension"), False),)  # the overview's today and last 7 days


class OfficeTally(BaseModel):
    """The reports an office holds whose `dimension` has `value`, all days together: the sum of its DayTally
    rows, moved by the same amounts when an office-day is counted again."""

    office_code = pw.CharField()
    dimension = pw.CharField()
    value = pw.CharField()
    n = pw.IntegerField(default=0)

    class Meta:
        primary_key = pw.CompositeKey("office_code", "dimension", "value")


def days_of(code, rows):
    """The days (Asia/Jakarta) of the report rows of a batch from office `code`, and of the copies the hub holds
    of them: call before the batch is applied, so that a report that moved day leaves its old one too."""
    moments = {row["submitted_at"] for row in rows if row.get("submitted_at")}
    ids = [row["id"] for row in rows]
    for chunk in pw.chunked(ids, 500):  # by key only: with the office in the query, SQLite walked its index
        moments.update(at for (at, office) in Report.select(Report.submitted_at, Report.office_code).where(
            Report.id.in_(chunk)).tuples() if office == code)
    return {local_date(at) for at in moments}


def recount(code, days):
    """Count the office's reports of each of `days` again from the reports held (inside the batch's transaction)."""
    for day in sorted(days):
        begin, stop = utc_bounds(day, day)
        counted = collections.Counter()
        grouped = (Report.select(Report.status, Report.category, Report.channel, pw.fn.COUNT(Report.id))
                   .where(Report.office_code == code, Report.submitted_at >= begin, Report.submitted_at < stop)
                   .group_by(Report.status, Report.category, Report.channel).tuples())
        for status, category, channel, n in grouped:
            for dimension, value in zip(DIMENSIONS, (status, category, channel)):
                counted[dimension, value] += n
        keep(code, day, counted)


def keep(code, day, counted):
    """Store `counted` ({(dimension, value): n}) as the office-day's counters (upserted, the rest removed), and
    move the office's totals by the difference."""
    mine = (DayTally.office_code == code) & (DayTally.day == day)
    held = {(dimension, value): n for dimension, value, n in
            DayTally.select(DayTally.dimension, DayTally.value, DayTally.n).where(mine).tuples()}
    DayTally.update(n=0).where(mine).execute()
    rows = [{"office_code": code, "day": day, "dimension": dimension, "value": value, "n": n}
            for (dimension, value), n in counted.items()]
    for chunk in pw.chunked(rows, 200):
        DayTally.insert_many(chunk).on_conflict(
            conflict_target=[DayTally.office_code, DayTally.day, DayTally.dimension, DayTally.value],
            update={DayTally.n: EXCLUDED.n}).execute()
    DayTally.delete().where(mine & (DayTally.n == 0)).execute()
    moved = []
    for dimension, value in set(counted) | set(held):
        change = counted.get((dimension, value), 0) - held.get((dimension, value), 0)
        if change:
            moved.append({"office_code": code, "dimension": dimension, "value": value, "n": change})
    for chunk in pw.chunked(moved, 200):
        OfficeTally.insert_many(chunk).on_conflict(
            conflict_target=[OfficeTally.office_code, OfficeTally.dimension, OfficeTally.value],
            update={OfficeTally.n: OfficeTally.n + EXCLUDED.n}).execute()
    if moved:
        OfficeTally.delete().where((OfficeTally.office_code == code) & (OfficeTally.n == 0)).execute()


def rebuild():
    """Count every office-day again from the reports held (the migration's backfill, or a repair)."""
    DayTally.delete().execute()
    OfficeTally.delete().execute()
    spans = (Report.select(Report.office_code, pw.fn.MIN(Report.submitted_at), pw.fn.MAX(Report.submitted_at))
             .group_by(Report.office_code).tuples())
    for code, first, last in list(spans):
        first, last = (local_date(_moment(at)) for at in (first, last))
        recount(code, {first + dt.timedelta(days=n) for n in range((last - first).days + 1)})


def _moment(value):
    """A stored time as a datetime (SQLite answers MIN/MAX of a column with its text)."""
    return value if isinstance(value, dt.datetime) else Report.submitted_at.python_value(value)


def by_office(on=None):
    """{office code: {"reports", "today", "last_7_days": n, "by_status", "by_category", "by_channel": {value: n}}}
    from the counters: the totals, and the days of the last week."""
    on = on or today()
    offices = collections.defaultdict(lambda: {"reports": 0, "today": 0, "last_7_days": 0, "by_status": {},
                                               "by_category": {}, "by_channel": {}})
    for code, dimension, value, n in OfficeTally.select(OfficeTally.office_code, OfficeTally.dimension,
                                                         OfficeTally.value, OfficeTally.n).tuples():
        offices[code]["by_" + dimension][value] = n
        if dimension == "status":  # every report has one status: the status rows sum to the office's reports
            offices[code]["reports"] += n
    week = (DayTally.select(DayTally.office_code, DayTally.day, pw.fn.SUM(DayTally.n))
            .where(DayTally.day >= on - dt.timedelta(days=WEEK - 1), DayTally.day <= on, DayTally.dimension == "status")
            .group_by(DayTally.office_code, DayTally.day).tuples())
    for code, day, n in week:
        offices[code]["last_7_days"] += int(n)
        offices[code]["today"] += int(n) if day == on else 0
    return dict(offices)


MODELS = [DayTally, OfficeTally]
