"""The provincial workspace on the hub (KIOSK_ROLE=hub): the overview of every office at `/staff/` and
the list of every office's reports at `/staff/laporan`. The report page, evidence, recap and export are
the office's own views, read-only here; `access.HUB_ENDPOINTS` says which staff pages the hub serves."""
import collections
import datetime as dt

from flask import request
from flask_babel import format_timedelta

from kiosk.i18n import gettext as _
from kiosk.i18n import lazy_gettext as _l

from .. import regions
from ..deadlines import today
from ..models import utcnow
from ..sync.models import STALE_HOURS, HubOffice
from ..web import render
from . import bp
from .access import offices_in_view
from .forms import HubFilterForm
from .listing import reports_page

# The hub stores each attempt's result as "ok", "partial: …" or "error: …" (kiosk.sync.ingest.mark).
SYNC_OUTCOMES = {"ok": _l("Completed"), "partial": _l("Incomplete"), "error": _l("Failed")}
SUMMED = ("today", "last_7_days", "reports")


def sync_outcome(result):
    """(kind, label, detail) of a stored sync result; the detail is the hub's own English wording."""
    kind, _sep, detail = (result or "").partition(": ")
    if kind not in SYNC_OUTCOMES:
        return "", "", result or ""
    return kind, SYNC_OUTCOMES[kind], detail


def ago(moment, now=None):
    """How long ago a stored (naive UTC) time was, in words: '37 hours ago'; in hours up to two days."""
    return format_timedelta(moment - (now or utcnow()), threshold=2, add_direction=True) if moment else ""


def totals(rows):
    """The sums of the overview's rows: reports today, last 7 days, held, and by status and category."""
    total = {name: sum(row[name] for row in rows) for name in SUMMED}
    for name in ("by_status", "by_category"):
        total[name] = collections.Counter()
        for row in rows:
            total[name].update(row[name])
    return total


def overview():
    """The hub's landing page: one row per registered office (revoked ones marked) with its reports today,
    in the last 7 days, by status and by category, its last sync attempt and its last completed sync;
    offices without a completed sync for over 36 hours are listed first and marked in their row."""
    now = utcnow()
    rows = HubOffice.overview(now=now)
    for row in rows:
        row["name"] = regions.office_name(row["code"])
        row["anchor"] = "office-" + row["code"].replace(".", "-")
        row["outcome"] = sync_outcome(row["last_sync_result"])
        row["ok_ago"] = ago(row["last_ok_at"], now)
    registered = {row["code"] for row in rows}
    return render("staff/overview.html", title=_("Provincial overview"), rows=rows, total=totals(rows),
                  stale=[row for row in rows if row["stale"]], hours=STALE_HOURS,
                  unregistered=[regions.office_name(code) for code, _name in regions.regencies()
                                if code not in registered],
                  week=((today() - dt.timedelta(days=6)).isoformat(), today().isoformat()))


@bp.get("/laporan")
def hub_reports():
    """The reports of every office of the province, or of the office chosen, for the dates and filters."""
    form = HubFilterForm(request.args)
    return reports_page(form, offices_in_view(form.office.data), "staff.hub_reports")
