"""The provincial overview on the hub (KIOSK_ROLE=hub), its landing page: every registered office with
its reports and its last sync. The list of every office's reports is the office's list (`listing`); the
report page, evidence, recap and export are the office's own views, read-only here
(`access.HUB_ENDPOINTS` says which staff pages the hub serves)."""
import collections
import datetime as dt

from flask_babel import format_timedelta

from kiosk.i18n import gettext as _
from kiosk.i18n import ngettext
from kiosk.i18n import lazy_gettext as _l

from .. import integrity, regions, tallies
from ..deadlines import today
from ..models import utcnow
from ..sync.models import STALE_HOURS, HubOffice
from ..web import render

# The hub stores each attempt's result as "ok", "partial: …" or "error: …" (kiosk.sync.ingest.mark).
SYNC_OUTCOMES = {"ok": _l("Completed"), "partial": _l("Incomplete"), "error": _l("Failed")}
SUMMED = ("today", "last_7_days", "reports")
TRANSFER_STATES = {"held": _l("At the hub, to be sealed to the office once it has synced and a provincial account signs in"),
                   "sealed": _l("Sealed to the office, waiting for its next sync"),
                   "stored": _l("Stored by the office, waiting for the sending office's next sync")}
# Why the hub refused an office's latest request (kiosk.sync.refusals); a wrong clock is said in minutes.
REFUSED = {"signature": _l("a bad signature (the office's token is wrong, or was replaced)"),
           "revoked": _l("the office is revoked"), "malformed": _l("a malformed request"),
           "replay": _l("a request sent twice"), "rows": _l("rows the hub would not apply")}


def refusal_text(refusal):
    """The reason of a stored refusal in words: "the office's clock is 10 minutes off (ahead of the hub's)"."""
    refusal = refusal if isinstance(refusal, dict) else {}
    if refusal.get("reason") == "clock":
        minutes = int(refusal.get("minutes", 0))
        if minutes >= 0:
            return ngettext("the office's clock is %(num)d minute off (ahead of the hub's)",
                            "the office's clock is %(num)d minutes off (ahead of the hub's)", minutes)
        return ngettext("the office's clock is %(num)d minute off (behind the hub's)",
                        "the office's clock is %(num)d minutes off (behind the hub's)", -minutes)
    return str(REFUSED.get(refusal.get("reason"), REFUSED["rows"]))


def damaged_named(blobs):
    """What the office said it cannot send, as (receipt number, file number) in the order of `blobs`."""
    named = integrity.where_from(blobs)
    return [named[blob] for blob in blobs if blob in named]


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
    """The sums of the overview's rows: reports today, last 7 days, held, and by status, category and way in."""
    total = {name: sum(row[name] for row in rows) for name in SUMMED}
    for name in ("by_status", "by_category", "by_channel"):
        total[name] = collections.Counter()
        for row in rows:
            total[name].update(row[name])
    return total


def office_rows(now, hours=STALE_HOURS):
    """One dict per registered office: code, last sync (time, result, stale), revoked, and its reports
    (held, today, the last 7 days, by status, by category, by way in: the hub's counters, kiosk.tallies)."""
    counted = tallies.by_office()
    none = {"reports": 0, "today": 0, "last_7_days": 0, "by_status": {}, "by_category": {}, "by_channel": {}}
    return [{
        "code": office.code, "revoked": not office.active,
        "last_sync_at": office.last_sync_at, "last_sync_result": office.last_sync_result,
        "last_ok_at": office.last_ok_at, "stale": office.active and office.is_stale(hours, now),
        "refused_at": office.refused_at if office.refused_at and (
            office.last_ok_at is None or office.refused_at > office.last_ok_at) else None,
        "refusal": refusal_text(office.refusal), "damaged": damaged_named(office.damaged_files or []),
        **counted.get(office.code, none),
    } for office in HubOffice.select().order_by(HubOffice.code)]


def overview():
    """The hub's landing page: one row per registered office (revoked ones marked) with its reports today,
    in the last 7 days, by status and by category, its last sync attempt and its last completed sync;
    offices without a completed sync for over 36 hours are listed first and marked in their row."""
    now = utcnow()
    rows = office_rows(now)
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
                  week=((today() - dt.timedelta(days=6)).isoformat(), today().isoformat()),
                  **transfers_shown())


def transfers_shown():
    """The overview's transfers in flight (kiosk.transfers), sealing first those a signed-in key can seal."""
    from .. import transfers
    from .people import private_key

    if private_key():
        transfers.seal_waiting(private_key())
    return dict(transfers=transfers.in_flight(), transfer_states=TRANSFER_STATES, region_office=regions.office_name)
