"""The list at `/staff/`: today's reports by default, newest first, with counts by status and category,
filters that work as a plain GET form and, with htmx, update the list in place."""
from flask import g, request
from flask_babel import format_date
from flask_babel import gettext as _

from ..deadlines import today
from ..models import Report
from ..web import render
from . import bp, queries
from .forms import FilterForm
from .workflow import review_days_left


def period_title(start, end):
    """'Today's reports', 'Reports of 20 November 2026' or 'Reports from … to …'."""
    if start == end == today():
        return _("Today's reports")
    if start == end:
        return _("Reports of %(date)s", date=format_date(start, "long"))
    return _("Reports from %(start)s to %(end)s", start=format_date(start, "long"), end=format_date(end, "long"))


@bp.get("/")
def index():
    """The office's reports for the chosen dates and filters (today's by default)."""
    form = FilterForm(request.args)
    if request.args and not form.validate():
        form.start.data = form.end.data = None  # show today's while the filters are corrected
    start = form.start.data or form.end.data or today()
    end = form.end.data or max(start, today())  # 'from' alone runs to today
    base = queries.base_query(g.staff.office_code, form, start, end)
    shown = queries.narrowed(base, form)
    total = shown.count()
    rows = [(report, review_days_left(report)) for report in queries.newest_first(shown)]
    searching = bool(form.q.data and form.q.data.strip())
    if not searching:
        form.start.data, form.end.data = start, end  # the form shows the dates the list is of
    title = _("Search: %(text)s", text=form.q.data.strip()) if searching else period_title(start, end)
    return render("staff/list.html", "staff/_results.html", title=_("Reports"), form=form, rows=rows, total=total,
                  limit=queries.LIST_LIMIT, period=title, single_day=start == end and not searching,
                  by_status=queries.counts(base, Report.status), by_category=queries.counts(base, Report.category))
