"""The landing page and the health check."""
from flask import Blueprint, current_app, jsonify

from . import db as database
from . import integrity
from .sync import recovery
from .models import Report
from .health import Health, iso
from .visit import is_kiosk
from .web import render

bp = Blueprint("pages", __name__)


@bp.get("/")
def landing():
    """Home: the two ways to report and the status lookup; on a kiosk, its welcoming start screen
    (nothing to guard there, so no idle timer)."""
    if is_kiosk():
        return render("kiosk_start.html")
    return render("landing.html")


@bp.get("/healthz")
def healthz():
    """JSON health for monitoring: role, office, schema version, the number of reports, the last verify,
    backup and sync ({"at", "result"} or null), and the evidence files damaged or lost and not repaired (their
    count, and the first of them by the hash they are stored under, which tells nothing of their content)."""
    config = current_app.config
    count, listed = integrity.damaged()
    return jsonify(
        status="ok",
        role=config["ROLE"],
        office_code=config["OFFICE_CODE"],
        schema_version=database.schema_version(),
        reports=Report.select().count(),
        last_backup=Health.last("backup"),
        last_sync=Health.last("sync"),
        last_verify=Health.last("verify"),
        recovering=recovery.state() is not None,  # a recovery from the hub is under way or was cut short
        damaged_evidence={"count": count, "files": [
            {"sha256": row["sha256"], "store": row["store"], "since": iso(row["since"]), "missing": row["missing"]}
            for row in listed]},
    )
