"""The audit log: written on sign-ins, personal-data views, status changes, exports and account
changes; read and filtered by office admins."""
import datetime as dt

from flask import current_app, g, request

from kiosk.i18n import gettext as _

from ..db import writing
from ..deadlines import today, utc_bounds
from ..web import render
from .blueprint import bp
from .access import admin_only
from .forms import AuditFilterForm
from .models import AuditLog

PAGE_SIZE = 100


def record(action, target="", actor=None, office_code=None, **detail):
    """Write an audit entry for the signed-in account (or `actor` of `office_code`). `target` and
    `detail` name things (a receipt number, a username, dates), never a citizen's personal data."""
    staff = g.get("staff")
    with writing():
        return AuditLog.record(office_code or (staff.office_code if staff else current_app.config["OFFICE_CODE"]),
                               actor if actor is not None else (staff.username if staff else ""),
                               action, target, **detail)


def entries(office_code, form):
    """The office's audit entries matching the filter form, newest first."""
    start = form.start.data or today() - dt.timedelta(days=6)
    end = form.end.data or today()
    begin, stop = utc_bounds(start, end)
    query = AuditLog.select().where((AuditLog.office_code == office_code) & (AuditLog.at >= begin)
                                    & (AuditLog.at < stop))
    if form.action.data:
        query = query.where(AuditLog.action == form.action.data)
    if form.actor.data and form.actor.data.strip():
        query = query.where(AuditLog.actor == form.actor.data.strip())
    return query.order_by(AuditLog.at.desc(), AuditLog.id.desc()), start, end


@bp.get("/audit")
@admin_only
def audit_log():
    """The office's audit log, filtered by dates, action and username, a page at a time."""
    form = AuditFilterForm(request.args)
    valid = form.validate()
    if not valid:
        form.start.data = form.end.data = None
    query, start, end = entries(g.staff.office_code, form)
    form.start.data, form.end.data = start, end  # the form shows the dates the entries are of
    total = query.count()
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    # at most the last page: a page number past it was an OFFSET too large for SQLite, a 500
    page_no = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    rows = list(query.paginate(page_no, PAGE_SIZE))
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render("staff/audit.html", "staff/_audit_results.html", title=_("Audit log"), form=form, rows=rows, total=total,
                  page_no=page_no, pages=pages, args=args, start=start, end=end)
