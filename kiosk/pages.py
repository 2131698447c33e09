"""The landing page and the health check."""
import datetime as dt

from flask import Blueprint, current_app, g, jsonify, request

from . import db as database, hosts, hours, integrity
from .health import Health, iso
from .models import Report
from .office import contact
from .sync import recovery
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
                  around_the_clock=hours.around_the_clock(office, now.astimezone(hours.JAKARTA).date()),
                  contact=contact(office))


@bp.get("/healthz")
def healthz():
    """JSON health for monitoring: status, role and schema version for anyone; for this machine (loopback)
    or signed-in staff also the office, the number of reports, the last verify, backup and sync ({"at",
    "result"} or null; a hub's error names its address), whether a recovery is unfinished, the evidence files
    damaged or lost and not repaired (their count, and the first of them by the hash they are stored under,
    which tells nothing of their content), and warnings about the settings."""
    config = current_app.config
    public = {"status": "ok", "role": config["ROLE"], "schema_version": database.schema_version()}
    if not (hosts.is_loopback(request.remote_addr) or g.get("staff")):
        return jsonify(public)
    problem = hosts.public_url_problem(config)
    count, listed = integrity.damaged()
    return jsonify(
        **public, office_code=config["OFFICE_CODE"], reports=Report.held(),
        last_backup=Health.last("backup"), last_sync=Health.last("sync"), last_verify=Health.last("verify"),
        recovering=recovery.state() is not None,  # a recovery from the hub is under way or was cut short
        damaged_evidence={"count": count, "files": [
            {"sha256": row["sha256"], "store": row["store"], "since": iso(row["since"]), "missing": row["missing"]}
            for row in listed]},
        warnings=[PUBLIC_URL_WARNING[problem]] if problem else [],
    )


PUBLIC_URL_WARNING = {
    "unset": "KIOSK_PUBLIC_URL is not set: receipts carry no status address or QR code",
    "loopback": "KIOSK_PUBLIC_URL is this machine's loopback address: receipts carry no status address or QR code",
}
