"""Who is signed in: the account of the session token in the cookie (kiosk.staff.sessions), and the
guards that send anonymous visitors to the sign-in page, keep petugas out of admin pages and, on the hub,
keep the provincial workspace read-only and for the province's own accounts."""
from functools import wraps

from flask import (
    abort,
    current_app,
    g,
    make_response,
    redirect,
    request,
    session,
    url_for,
)

from kiosk.extensions import htmx

from .. import regions
from ..models import Report
from ..visit import clear_session, keep_on_a_phone
from . import sessions
from .blueprint import bp
from .models import Staff

SESSION_KEY = "staff"  # the session token, in the (signed) cookie
OPEN_ENDPOINTS = {"staff.login", "staff.second_factor"}
# While the office requires a second factor the account has not set up, only these pages open.
ENROL_ENDPOINTS = {"staff.my_account", "staff.totp_start", "staff.totp_confirm", "staff.logout"}
# What provincial staff may use on the hub. Deny by default: a staff route added later is a 404 on the hub
# until someone decides it is safe there. Nothing here writes to a replicated row (the office's next sync
# would overwrite it); the account pages write only the hub's own accounts.
HUB_ENDPOINTS = {"staff.login", "staff.second_factor", "staff.logout", "staff.index", "staff.hub_reports",
                 "staff.report", "staff.evidence_file", "staff.evidence_preview", "staff.recap", "staff.export",
                 "staff.audit_log", "staff.accounts", "staff.toggle", "staff.reset_password", "staff.require_totp",
                 "staff.my_account", "staff.change_password", "staff.totp_start", "staff.totp_confirm",
                 "staff.totp_off", "staff.totp_codes"}
HUB_ONLY_ENDPOINTS = {"staff.hub_reports"}  # the provincial pages: they do not exist at an office
keep_on_a_phone(SESSION_KEY)  # staff typing in a walk-in's paper report stay signed in when it is sent


def sign_in(staff, staff_key, office_key, must_enrol=False):
    """Start a fresh session for `staff` with the keys signing in unlocked: nothing from before survives
    but the language and display."""
    token = sessions.start(staff.id, staff_key, office_key, must_enrol)
    clear_session()
    session[SESSION_KEY] = token


def sign_out():
    """End the session everywhere it was copied, keeping only the language and display."""
    sessions.end(session.get(SESSION_KEY))
    clear_session()


@bp.before_app_request
def load_staff():
    """Find the signed-in account on every request: the session of the cookie's token, while it lives
    (30 idle minutes, 12 hours at most) and its account is active."""
    g.staff = g.staff_session = None
    token = session.get(SESSION_KEY)
    if not token or request.endpoint == "static":
        return
    found, why = sessions.find(token)
    staff = Staff.get_or_none(Staff.id == found.staff_id) if found else None
    if staff is None or not staff.active:
        g.timed_out = why == "idle"
        session.pop(SESSION_KEY)  # only the account: a walk-in's report being typed is not lost
        return
    g.staff, g.staff_session = staff, found


def to_login():
    """Send an anonymous visitor to the sign-in page, then back here (htmx: a full-page redirect)."""
    target = url_for("staff.login", next=request.full_path.rstrip("?") if request.method == "GET" else None,
                     idle=1 if g.get("timed_out") else None)
    if htmx:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, code=303)


def is_hub():
    """Whether this app is the provincial hub (KIOSK_ROLE=hub): every office's reports, read-only."""
    return current_app.config["ROLE"] == "hub"


def offices_in_view(chosen=None):
    """The office codes whose reports the signed-in account may read: its own office's; on the hub every
    office of the province, or only `chosen` when that is one of them."""
    if not is_hub():
        return [g.staff.office_code]
    codes = regions.office_codes()
    return [chosen] if chosen in codes else codes


@bp.before_request
def require_staff():
    """Every staff page but the sign-in needs a signed-in account; then the role decides (see `by_role`)."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if g.get("staff") is None:
        return to_login()  # before any 404 below: an anonymous visitor learns nothing of this server's role
    refused = by_role(request.endpoint)
    if refused is None and g.staff_session.must_enrol and request.endpoint not in ENROL_ENDPOINTS:
        return redirect(url_for("staff.my_account", _anchor="dua-langkah"), code=303)
    return refused


def by_role(endpoint):
    """404 for what does not exist in this role: the provincial pages at an office; at the hub, every
    page for an account of another office (signing out aside) and every page not in HUB_ENDPOINTS."""
    if not is_hub():
        if endpoint in HUB_ONLY_ENDPOINTS:
            abort(404)
        return None
    if endpoint == "staff.logout":
        return None
    if g.staff.office_code != current_app.config["OFFICE_CODE"] or endpoint not in HUB_ENDPOINTS:
        abort(404)
    return None


def admin_only(view):
    """The view is for the office's admins: a petugas gets 403."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not g.staff.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def own_report(report_id):
    """The report `report_id` of the signed-in account's office (on the hub: of any office of the
    province); 404 for any other office's report."""
    report = Report.get_or_none((Report.id == report_id) & Report.office_code.in_(offices_in_view()))
    if report is None:
        abort(404)
    return report
