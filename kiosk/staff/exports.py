"""The day's record: the printable daily recap for any date, and the CSV export of a date range
(written to the audit log)."""
from flask import g, make_response, request
from flask_babel import gettext as _

from .. import choices
from ..deadlines import today
from ..models import Report
from ..web import render
from . import audit, bp, csvfile, queries
from .forms import ExportForm, RecapForm


@bp.get("/rekap")
def recap():
    """The recap of one day (today by default): the counts, then every report of the day."""
    form = RecapForm(request.args)
    day = form.date.data if request.args and form.validate() and form.date.data else today()
    reports = queries.received_between(g.staff.office_code, day, day)
    return render("staff/recap.html", title=_("Daily recap"), form=form, day=day,
                  rows=list(reports.order_by(Report.submitted_at)), total=reports.count(),
                  counts=[(_("By status"), choices.STATUSES, queries.counts(reports, Report.status), True),
                          (_("By category"), choices.CATEGORY_SHORT, queries.counts(reports, Report.category), False),
                          (_("By type"), choices.KINDS, queries.counts(reports, Report.kind), True),
                          (_("By way in"), choices.CHANNELS, queries.counts(reports, Report.channel), True)])


@bp.route("/ekspor", methods=["GET", "POST"])
def export():
    """Choose a date range; the post downloads the CSV (personal-data columns for admins only)."""
    form = ExportForm(request.form if request.method == "POST" else None, start=today(), end=today())
    if request.method == "POST" and form.validate():
        start, end = form.start.data, form.end.data
        reports = queries.received_between(g.staff.office_code, start, end).order_by(Report.submitted_at)
        personal = g.staff.is_admin
        body = csvfile.build(reports, personal, csvfile.SEPARATORS.get(form.separator.data, ","))
        audit.record("export", target=f"{start.isoformat()}..{end.isoformat()}", rows=reports.count(),
                     personal=personal)
        response = make_response(body.encode("utf-8"))
        response.mimetype = "text/csv"
        response.charset = "utf-8"
        name = f"laporan-{g.staff.office_code}-{start.isoformat()}-{end.isoformat()}.csv"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render("staff/export.html", status=400 if request.method == "POST" else 200, title=_("Export to CSV"),
                  form=form)
