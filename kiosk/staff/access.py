"""Who is signed in: the account kept in the session, the 30-minute idle timeout, and the guards that
send anonymous visitors to the sign-in page and keep petugas out of admin pages."""
import time
from functools import wraps

from flask import abort, g, make_response, redirect, request, session, url_for

from . import bp
from .models import Staff

SESSION_KEY = "staff"
IDLE_SECONDS = 30 * 60
OPEN_ENDPOINTS = {"staff.login"}
KEEP_ON_SIGN_IN = ("lang", "text", "contrast")  # language and display; the rest goes on sign-in and sign-out


def sign_in(staff):
    """Start a fresh session for `staff`: nothing from before survives but the language and display."""
    kept = {key: session[key] for key in KEEP_ON_SIGN_IN if key in session}
    session.clear()
    session.update(kept)
    session[SESSION_KEY] = {"id": staff.id, "seen": int(time.time()), "key": staff.session_key()}


def sign_out():
    """End the session, keeping only the language and display."""
    kept = {key: session[key] for key in KEEP_ON_SIGN_IN if key in session}
    session.clear()
    session.update(kept)


@bp.before_app_request
def load_staff():
    """Find the signed-in account on every request. An account idle for 30 minutes, disabled, or whose
    password was reset since, is signed out."""
    g.staff = None
    info = session.get(SESSION_KEY)
    if not info or request.endpoint == "static":
        return
    now = int(time.time())
    staff = Staff.get_or_none(Staff.id == info.get("id"))
    if now - info.get("seen", 0) > IDLE_SECONDS:
        g.timed_out = True
        staff = None
    if staff is None or not staff.active or staff.session_key() != info.get("key"):
        session.pop(SESSION_KEY)  # only the account: a walk-in's report being typed is not lost
        return
    session[SESSION_KEY] = dict(info, seen=now)
    g.staff = staff


def to_login():
    """Send an anonymous visitor to the sign-in page, then back here (htmx: a full-page redirect)."""
    target = url_for("staff.login", next=request.full_path.rstrip("?") if request.method == "GET" else None,
                     idle=1 if g.get("timed_out") else None)
    if request.headers.get("HX-Request") == "true":
        response = make_response("", 200)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, code=303)


@bp.before_request
def require_staff():
    """Every staff page but the sign-in needs a signed-in account."""
    if request.endpoint not in OPEN_ENDPOINTS and g.get("staff") is None:
        return to_login()


def admin_only(view):
    """The view is for the office's admins: a petugas gets 403."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not g.staff.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def own_report(report_id):
    """The report `report_id` of the signed-in account's office; 404 for any other office's report."""
    from ..models import Report

    report = Report.get_or_none((Report.id == report_id) & (Report.office_code == g.staff.office_code))
    if report is None:
        abort(404)
    return report
