"""The day's record: the printable daily recap for any date, and the CSV export of a date range
(written to the audit log), both streamed as they are read. On the hub both cover every office, or the office chosen, with the office
of each report."""
from flask import Response, g, request, stream_template, stream_with_context

from kiosk.i18n import gettext as _

from .. import choices, regions
from ..deadlines import today
from ..models import Report
from ..web import render
from . import audit, csvfile, people, queries
from .blueprint import bp
from .access import is_hub, offices_in_view
from .forms import ExportForm, HubExportForm, HubRecapForm, RecapForm


# What a row of the recap shows.
RECAP_COLUMNS = (Report.id, Report.receipt_no, Report.office_code, Report.submitted_at, Report.category, Report.kind,
                 Report.channel, Report.status)


def _office_chosen(form):
    """The office code chosen on the hub's form ('' for every office, and always '' at an office)."""
    return (form.office.data or "") if is_hub() else ""


@bp.get("/rekap")
def recap():
    """The recap of one day (today by default): the counts, then every report of the day."""
    form = (HubRecapForm if is_hub() else RecapForm)(request.args)
    valid = bool(request.args) and form.validate()
    day = form.date.data if valid and form.date.data else today()
    chosen = _office_chosen(form) if valid else ""
    reports = queries.received_between(offices_in_view(chosen), day, day)
    counts = [(_("By status"), choices.STATUSES, queries.counts(reports, Report.status), True),
              (_("By category"), choices.CATEGORY_SHORT, queries.counts(reports, Report.category), False),
              (_("By type"), choices.KINDS, queries.counts(reports, Report.kind), True),
              (_("By way in"), choices.CHANNELS, queries.counts(reports, Report.channel), True)]
    if is_hub() and not chosen:
        counts.insert(0, (_("By office"), {code: regions.name(code) for code in regions.office_codes()},
                          queries.counts(reports, Report.office_code), False))
    rows = reports.select(*RECAP_COLUMNS).order_by(Report.submitted_at).iterator()  # read as they are written
    page = stream_template("staff/recap.html", title=_("Daily recap"), form=form, day=day,
                           recap_of=regions.office_name(chosen) if chosen else None, rows=rows,
                           total=reports.count(), counts=counts)
    return Response(page, mimetype="text/html")


@bp.route("/ekspor", methods=["GET", "POST"])
def export():
    """Choose a date range; the post downloads the CSV (personal-data columns for admins only)."""
    form = (HubExportForm if is_hub() else ExportForm)(request.form if request.method == "POST" else None,
                                                       start=today(), end=today())
    valid = request.method == "POST" and form.validate()
    wants_personal = valid and g.staff.is_admin and form.personal.data
    if wants_personal and (not form.your_password.data or g.staff.open_key(form.your_password.data) is None):
        form.your_password.errors.append(_("Type your own password to include the personal data."))
        valid = False
    if valid:
        start, end, chosen = form.start.data, form.end.data, _office_chosen(form)
        reports = queries.received_between(offices_in_view(chosen), start, end).order_by(Report.submitted_at)
        personal = bool(wants_personal)
        audit.record("export", target=f"{start.isoformat()}..{end.isoformat()}", rows=reports.count(),
                     personal=personal, **({"office": chosen or "all"} if is_hub() else {}))
        pieces = csvfile.stream(reports, people.person_of if personal else None,
                                csvfile.SEPARATORS.get(form.separator.data, ","), office=is_hub())
        # Written as it is read: the request (and its database connection) lives until the last piece is sent.
        response = Response(stream_with_context(piece.encode("utf-8") for piece in pieces), mimetype="text/csv")
        response.charset = "utf-8"
        name = f"laporan-{chosen or g.staff.office_code}-{start.isoformat()}-{end.isoformat()}.csv"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render("staff/export.html", status=400 if request.method == "POST" else 200, title=_("Export to CSV"),
                  form=form)
