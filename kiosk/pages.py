"""The landing page and the health check."""
from flask import Blueprint, current_app, g, jsonify, request

from . import db as database, hosts
from .models import Report
from .office import contact
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
    return render("landing.html", contact=contact(current_app.config["OFFICE_CODE"]))


@bp.get("/healthz")
def healthz():
    """JSON health for monitoring: status, role and schema version for anyone; for this machine (loopback)
    or signed-in staff also the office, the number of reports, the last backup and sync ({"at", "result"}
    or null; a hub's error names its address) and warnings about the settings."""
    config = current_app.config
    public = {"status": "ok", "role": config["ROLE"], "schema_version": database.schema_version()}
    if not (hosts.is_loopback(request.remote_addr) or g.get("staff")):
        return jsonify(public)
    problem = hosts.public_url_problem(config)
    return jsonify(
        **public, office_code=config["OFFICE_CODE"], reports=Report.select().count(),
        last_backup=Health.last("backup"), last_sync=Health.last("sync"),
        warnings=[PUBLIC_URL_WARNING[problem]] if problem else [],
    )


PUBLIC_URL_WARNING = {
    "unset": "KIOSK_PUBLIC_URL is not set: receipts carry no status address or QR code",
    "loopback": "KIOSK_PUBLIC_URL is this machine's loopback address: receipts carry no status address or QR code",
}
