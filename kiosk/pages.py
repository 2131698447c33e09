"""The landing page and the health check."""
import datetime as dt

from flask import Blueprint, current_app, jsonify

from . import db as database
from . import hours
from .models import Report
from .health import Health
from .visit import is_kiosk
from .web import render

bp = Blueprint("pages", __name__)


@bp.get("/")
def landing():
    """Home: the two ways to report and the status lookup; on a kiosk, its welcoming start screen
    (nothing to guard there, so no idle timer)."""
    if is_kiosk():
        return render("kiosk_start.html")
    office = current_app.config["OFFICE_CODE"]
    now = dt.datetime.now(dt.timezone.utc)
    return render("landing.html", office_open=hours.is_open(office, now), opens=hours.next_opening(office, now),
                  around_the_clock=hours.around_the_clock(office, now.astimezone(hours.JAKARTA).date()))


@bp.get("/healthz")
def healthz():
    """JSON health for monitoring: role, office, schema version, the number of reports, and the last
    backup and sync ({"at", "result"} or null)."""
    config = current_app.config
    return jsonify(
        status="ok",
        role=config["ROLE"],
        office_code=config["OFFICE_CODE"],
        schema_version=database.schema_version(),
        reports=Report.select().count(),
        last_backup=Health.last("backup"),
        last_sync=Health.last("sync"),
    )
