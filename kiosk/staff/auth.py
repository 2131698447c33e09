"""Signing in and out. Five failed sign-ins in a row lock an account for 15 minutes; every attempt is
in the audit log."""
from flask import current_app, flash, g, redirect, request, url_for
from flask_babel import format_time

from kiosk.i18n import gettext as _
from kiosk.i18n import lazy_gettext as _l

from .. import guards
from ..db import writing
from ..i18n import safe_next
from ..web import render
from . import audit
from .blueprint import bp
from .access import sign_in, sign_out
from .forms import LoginForm
from .models import Staff, check_unknown

PROBLEMS = {
    "wrong": _l("The username or password is not right, or the account is not of this office."),
    "disabled": _l("This account is disabled. Ask your office admin."),
}


def authenticate(office_code, username, password):
    """Check a sign-in. Returns (account or None, problem or None, locked_until or None); counts
    failures, locks after the fifth, and writes the attempt to the audit log. Every attempt is logged
    under this server's own office, whichever office was chosen, so its admins see them all."""
    here = current_app.config["OFFICE_CODE"]
    tried = {"office": office_code} if office_code != here else {}
    with writing():
        staff = Staff.find(office_code, username)
        if staff is None:
            check_unknown(password)
            audit.record("login_failed", actor="", office_code=here, reason="unknown", **tried)
            return None, "wrong", None
        if staff.is_locked():
            audit.record("login_locked", target=staff.username, actor=staff.username, office_code=here, **tried)
            return None, "locked", staff.locked_until
        if not staff.check_password(password):
            staff.record_failure()
            audit.record("login_failed", target=staff.username, actor=staff.username, office_code=here,
                         reason="password", locked=staff.is_locked(), **tried)
            return None, ("locked" if staff.is_locked() else "wrong"), staff.locked_until
        if not staff.active:
            audit.record("login_failed", target=staff.username, actor=staff.username, office_code=here,
                         reason="disabled", **tried)
            return None, "disabled", None
        staff.record_success()
        audit.record("login", target=staff.username, actor=staff.username, office_code=here, **tried)
        return staff, None, None


def _locked_message(until):
    """The lockout message with the time the lock ends, in the office's time."""
    return _("Too many failed attempts: this account is locked until %(time)s. Try again then.",
             time=format_time(until, "HH.mm"))  # stored as naive UTC, shown in Asia/Jakarta


@bp.route("/login", methods=["GET", "POST"])
@guards.login_limit
def login():
    """The sign-in page; on success, a fresh session and on to the page that was asked for."""
    target = safe_next(request.values.get("next") or url_for("staff.index"))
    if g.get("staff") is not None:
        return redirect(target, code=303)
    form = LoginForm(request.form if request.method == "POST" else None,
                     office=current_app.config["OFFICE_CODE"])
    problem = None
    if request.method == "POST" and form.validate():
        username = form.username.data.strip().lower()  # usernames are lowercase; phones capitalise the first letter
        staff, code, until = authenticate(form.office.data, username, form.password.data)
        if staff is not None:
            sign_in(staff)
            return redirect(target, code=303)
        problem = _locked_message(until) if code == "locked" else PROBLEMS[code]
    status = 401 if problem else 200
    return render("staff/login.html", status=status, form=form, problem=problem, next=target,
                  idle=request.args.get("idle") == "1")


@bp.post("/logout")
def logout():
    """Sign out and end the session."""
    if g.get("staff") is not None:
        audit.record("logout", target=g.staff.username)
    sign_out()
    flash(_("You have signed out."), "success")
    return redirect(url_for("staff.login"), code=303)
