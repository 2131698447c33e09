"""The work (`/staff/` at an office): every report still needing action, whatever day it came in, ordered by
its next legal deadline, overdue first; counts of the overdue, the due today and the due within a week that
link to those rows; a page at a time by keyset (the next page starts after the last row shown, so the
100,000th report costs what the first does). A report is the next one's neighbour in this order."""
import datetime as dt
import re
import uuid

import peewee as pw

from ..deadlines import DAY, today
from ..models import Report
from . import queries

OPEN = ("diterima", "kajian_awal", "perlu_dilengkapi", "diregistrasi")  # a legal deadline runs
PAGE_SIZE = 50
WEEK = 7
SORTS = ("due", "received")
CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2})?~(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)~([0-9a-f]{32})$")


# What a row of the work shows: not the sealed columns, which are most of a report's bytes.
ROW = (Report.id, Report.office_code, Report.receipt_no, Report.kind, Report.category, Report.district_code,
       Report.terlapor_role, Report.description, Report.status, Report.due_on, Report.assigned_to,
       Report.submitted_at, Report.needs_review, Report.channel)


def open_work(offices):
    """The reports of `offices` whose status has a deadline running: those with a `due_on`, which the workflow
    sets for the OPEN statuses and clears for the others, so that the work is a range of one index."""
    return queries.of_office(offices).where(Report.due_on.is_null(False))


def due_window(due, on=None):
    """The rows of the count `due` ('overdue', 'today', 'week'): a condition on Report.due_on, or None."""
    on = on or today()
    return {"overdue": Report.due_on < on, "today": Report.due_on == on,
            "week": (Report.due_on > on) & (Report.due_on <= on + dt.timedelta(days=WEEK))}.get(due)


def counts(query, on=None):
    """{'overdue': n, 'today': n, 'week': n, 'total': n} over `query`."""
    on = on or today()
    week = on + dt.timedelta(days=WEEK)
    count = lambda condition: query.where(condition).order_by().count()  # noqa: E731 (each a range of the index)
    return {"overdue": count(Report.due_on < on), "today": count(Report.due_on == on),
            "week": count((Report.due_on > on) & (Report.due_on <= week)), "total": query.order_by().count()}


def _order(sort):
    if sort == "received":
        return (Report.submitted_at.desc(), Report.id.desc())
    return (Report.due_on, Report.submitted_at, Report.id)


def cursor_of(report, sort):
    """Where the page after `report` starts (dates and an id: nothing personal)."""
    due = report.due_on.isoformat() if sort == "due" and report.due_on else ""
    return f"{due}~{report.submitted_at.isoformat(' ')}~{report.id.hex}"


def _after(query, cursor, sort):
    """`query` from just after `cursor`; a cursor that does not parse starts at the beginning."""
    match = CURSOR.match(cursor or "")
    if not match:
        return query
    at = Report.submitted_at.db_value(dt.datetime.fromisoformat(match.group(2)))
    key = Report.id.db_value(uuid.UUID(match.group(3)))  # row values are compared as stored
    if sort == "received":
        return query.where(pw.Tuple(Report.submitted_at, Report.id) < pw.Tuple(at, key))
    if not match.group(1):
        return query
    due = Report.due_on.db_value(dt.date.fromisoformat(match.group(1)))
    return query.where(pw.Tuple(Report.due_on, Report.submitted_at, Report.id) > pw.Tuple(due, at, key))


def page(query, sort="due", cursor=None, size=PAGE_SIZE, columns=ROW):
    """(the rows of one page, the cursor of the next or None); 'received' is newest first (the list's order)."""
    sort = sort if sort in SORTS else "due"
    rows = list(_after(query.select(*columns), cursor, sort).order_by(*_order(sort)).limit(size + 1))
    more = len(rows) > size
    rows = rows[:size]
    return rows, (cursor_of(rows[-1], sort) if more and rows else None)


def completed_since_notice(reports):
    """The ids among `reports` the reporter completed (or staff added to) since staff last decided ('dilengkapi,
    perlu dikaji': kiosk.completion sets the mark, the next status change clears it)."""
    return {report.id for report in reports if report.needs_review}


def next_after(report, offices):
    """The report after `report` in the queue's order (for 'next report'), or the first of the queue."""
    query = open_work(offices).where(Report.id != report.id)
    if report.status in OPEN and report.due_on:
        rows, _next = page(query, "due", cursor_of(report, "due"), size=1)
        if rows:
            return rows[0]
    return query.order_by(*_order("due")).first()


def in_words(due, on=None):
    """(words key, days): how far `due` is from `on`, for the template to say ('overdue', 3), ('today', 0),
    ('tomorrow', 1) or ('in', n)."""
    on = on or today()
    if due is None:
        return None
    days = (due - on).days
    if days < 0:
        return "overdue", -days
    return ("today" if days == 0 else "tomorrow" if due == on + DAY else "in"), days


def snippet(text, words=12):
    """The first words of a description."""
    parts = (text or "").split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")
