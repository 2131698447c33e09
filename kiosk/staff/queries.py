"""The reports of an office (on the hub, of several), as staff look for them: by Asia/Jakarta dates, by
filters, by number. `offices` is one office code or a list of them."""
import peewee as pw

from .. import search as blind
from .. import tracking
from ..deadlines import utc_bounds
from ..models import Report

LIST_PAGE = 50  # reports a page of the list shows; the next page starts after its last (kiosk.staff.queue.page)


def of_office(offices):
    """Every report of the office, or of the offices when given a list of codes."""
    if isinstance(offices, str):
        return Report.select().where(Report.office_code == offices)
    return Report.select().where(Report.office_code.in_(list(offices)))


def received_between(offices, start, end):
    """The office's reports received from `start` to `end` (dates, inclusive, Asia/Jakarta)."""
    begin, stop = utc_bounds(start, end)
    return of_office(offices).where((Report.submitted_at >= begin) & (Report.submitted_at < stop))


def search(offices, text, private_key=None, hub=False):
    """Reports whose receipt number, registration number or tracking code is `text`, or, with the session's
    `private_key`, whose reporter has that exact NIK or phone number or whose reporter or reported party has
    those name words (kiosk.search). A number of up to four digits finds the receipt with that sequence
    number in any year."""
    text = (text or "").strip()
    digits = tracking.digits_of(text)
    numbers = [Report.receipt_no == text, Report.registration_no == text]
    if digits.isascii() and digits.isdigit() and len(digits) == tracking.LENGTH:
        numbers.append(Report.tracking_code == digits)
    elif text.isascii() and text.isdigit() and len(text) <= 4:  # not '²', which isdigit() but int() refuses
        # '0042/' up to '00420' ('0' follows '/'): a range of the (office, receipt) index, where LIKE reads every row
        prefix = f"{int(text):04d}/"
        numbers.append((Report.receipt_no >= prefix) & (Report.receipt_no < prefix[:-1] + "0"))
    # One query per number, each a lookup in its (office, number) index: OR-ed together they read every row.
    found = [row.id for number in numbers for row in of_office(offices).select(Report.id).where(number)]
    sealed = blind.matching(private_key, text) if private_key else None
    if sealed is None:
        return of_office(offices).where(Report.id.in_(found))
    # One IN over a union, which SQLite answers from the primary key: two IN terms OR-ed read every row.
    by_number = Report.select(Report.id.alias("report_id")).where(Report.id.in_(found))
    return of_office(offices).where(Report.id.in_(sealed.union(by_number)))


def base_query(offices, form, start, end, private_key=None, hub=False):
    """The reports the filter form is about, before status and category: a search looks at every
    date; otherwise the date range."""
    if form.q.data and form.q.data.strip():
        return search(offices, form.q.data, private_key, hub)
    return received_between(offices, start, end)


def narrowed(query, form):
    """`query` narrowed by the status, category, way in and kind chosen in the form."""
    for name in ("status", "category", "channel", "kind"):
        value = getattr(form, name).data
        if value:
            query = query.where(getattr(Report, name) == value)
    return query


def counts(query, column):
    """{value: number of reports} of `column` over `query`."""
    grouped = (query.select(column, pw.fn.COUNT(Report.id).alias("n")).group_by(column).order_by())
    return {getattr(row, column.name): row.n for row in grouped}


# What a list shows of a report: every column but the sealed ones, which are most of its bytes.
LISTED = [field for field in Report._meta.sorted_fields if field.name not in ("personal", "key_office", "key_hub")]

