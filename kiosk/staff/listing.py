"""`/staff/` at an office: the work (kiosk.staff.queue) by default; with a date or a filter, the list of the
reports received on those dates, newest first a page at a time (by keyset, as the work), with counts by status
and category, filters that work as a plain GET form and, with htmx, update the list in place. On the hub `/staff/` is
the provincial overview (`province`), and the same list of every office is at `/staff/laporan`."""
from flask import g, request
from flask_babel import format_date

from kiosk.i18n import gettext as _

from ..deadlines import today
from ..models import Report
from ..web import render
from .. import search as blind
from ..notify.models import failing_for
from . import audit, people, queries, queue
from .blueprint import bp
from .access import is_hub, offices_in_view
from .forms import FilterForm, HubFilterForm, QueueForm
from .province import overview
from .workflow import review_days_left
from ..sms.thread import sms_numbers


def period_title(start, end):
    """'Today's reports', 'Reports of 20 November 2026' or 'Reports from … to …'."""
    if start == end == today():
        return _("Today's reports")
    if start == end:
        return _("Reports of %(date)s", date=format_date(start, "long"))
    return _("Reports from %(start)s to %(end)s", start=format_date(start, "long"), end=format_date(end, "long"))


def reports_page(form, offices, endpoint):
    """The list of the reports of `offices` for the filter `form`, whose own address is `endpoint`."""
    if request.args and not form.validate():
        form.start.data = form.end.data = None  # show today's while the filters are corrected
    start = form.start.data or form.end.data or today()
    end = form.end.data or max(start, today())  # 'from' alone runs to today
    base = queries.base_query(offices, form, start, end, people.searching_key() if form.q.data else None, is_hub())
    shown = queries.narrowed(base, form)
    total = shown.count()
    after = request.args.get("after")
    found, next_cursor = queue.page(shown, "received", after, size=queries.LIST_PAGE, columns=queries.LISTED)
    rows = [(report, review_days_left(report)) for report in found]
    searching = bool(form.q.data and form.q.data.strip())
    if searching and blind.query_terms(form.q.data) and total:
        audit.record("search_personal", target=f"{total} found")  # a search by NIK, phone or name matched
    if not searching:
        form.start.data, form.end.data = start, end  # the form shows the dates the list is of
    title = _("Search: %(text)s", text=form.q.data.strip()) if searching else period_title(start, end)
    args = {name: request.args[name] for name in (*LIST_ARGS, "office") if request.args.get(name)}
    if not searching:
        args.update(start=start.isoformat(), end=end.isoformat())  # the next page is of the same dates
    return render("staff/list.html", "staff/_results.html", title=_("Reports"), form=form, rows=rows, total=total,
                  args=args, next_cursor=next_cursor, first_page=not after, period=title, single_day=start == end and not searching,
                  by_status=queries.counts(base, Report.status), by_category=queries.counts(base, Report.category),
                  list_endpoint=endpoint, show_office=is_hub(),
                  failing=failing_for([report.id for report, _left in rows]),
                  sms_numbers=sms_numbers([report for report, _left in rows if report.channel == "sms"]))


LIST_ARGS = ("start", "end", "status", "category", "channel", "kind", "q")


def queue_page(form, offices):
    """The work: every report with a deadline running, the next deadline first, a page at a time."""
    form.validate()
    query = queue.open_work(offices)
    if form.mine.data:
        query = query.where(Report.assigned_to == g.staff.username)
    tallies = queue.counts(query)
    window = queue.due_window(form.due.data)
    if window is not None:
        query = query.where(window)
    sort = form.sort.data if form.sort.data in queue.SORTS else "due"
    rows, cursor = queue.page(query, sort, request.args.get("after"))
    args = {name: value for name, value in (("due", form.due.data), ("mine", "1" if form.mine.data else ""),
                                             ("sort", "" if sort == "due" else sort)) if value}
    return render("staff/queue.html", "staff/_queue.html", title=_("The work"), form=form, rows=rows,
                  tallies=tallies, args=args, sort=sort, next_cursor=cursor, first_page=not request.args.get("after"),
                  completed=queue.completed_since_notice(rows), in_words=queue.in_words, snippet=queue.snippet,
                  today=today(), list_form=FilterForm(formdata=None), failing=failing_for([row.id for row in rows]),
                  sms_numbers=sms_numbers([row for row in rows if row.channel == "sms"]))


@bp.get("/")
def index():
    """The work (every report needing action, the next deadline first); with the list's filters, the reports
    received on the chosen dates (finished work too); on the hub, the provincial overview."""
    if is_hub():
        return overview()
    if any(name in request.args or f"{name}-day" in request.args for name in LIST_ARGS):  # a date: one or 3 boxes
        return reports_page(FilterForm(request.args), offices_in_view(), "staff.index")
    return queue_page(QueueForm(request.args), offices_in_view())


@bp.get("/laporan")
def hub_reports():
    """The reports of every office of the province, or of the office chosen, for the dates and filters
    (on the hub only: see access.HUB_ONLY_ENDPOINTS)."""
    form = HubFilterForm(request.args)
    return reports_page(form, offices_in_view(form.office.data), "staff.hub_reports")
