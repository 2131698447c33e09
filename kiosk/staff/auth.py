"""Signing in and out. Five failed sign-ins in a row for one account from one address lock that pair for
15 minutes (an unknown username too, so the answer says nothing of which names exist); every attempt is in
the audit log. Signing in opens the account's key, and with it the office key (kiosk.staff.sessions)."""
import datetime as dt
import threading
import time

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import format_time

from kiosk.i18n import gettext as _
from kiosk.i18n import lazy_gettext as _l

from .. import guards
from ..db import writing
from ..i18n import safe_next
from ..models import utcnow
from ..office import totp_required
from ..visit import clear_session
from ..web import render
from . import audit, sessions, twofactor
from .access import sign_in, sign_out
from .blueprint import bp
from .forms import LoginForm, SecondFactorForm
from .. import transfers
from ..notify import handover
from .grants import grant_waiting, seal_for_hub
from .models import Staff, spend_like_a_sign_in

PENDING_KEY = "staff_pending"  # in the cookie between the password and the second factor
MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60
PROBLEMS = {
    "wrong": _l("The username or password is not right, or the account is not of this office."),
}


class Throttle:
    """Failed sign-ins per (office, username, address), in memory: the fifth in a row locks the pair."""

    def __init__(self):
        self.failures, self.lock = {}, threading.Lock()

    def locked_until(self, key, now=None):
        """The time (seconds since the epoch) the pair is locked until, or None."""
        now = now or time.time()
        with self.lock:
            count, until = self.failures.get(key, (0, None))
            if until and until <= now:
                del self.failures[key]
                return None
            return until

    def fail(self, key, now=None):
        """Count a failure; returns the lock's end when this one locks the pair, else None."""
        now = now or time.time()
        with self.lock:
            if len(self.failures) > 100_000:  # bounded, whatever a flood of attempts tries
                self.failures.clear()
            count = self.failures.get(key, (0, None))[0] + 1
            until = now + LOCK_SECONDS if count >= MAX_FAILURES else None
            self.failures[key] = (0 if until else count, until)
            return until

    def clear(self, key):
        """Forget the failures of a pair that signed in."""
        with self.lock:
            self.failures.pop(key, None)


def throttle():
    """This app's count of failed sign-ins (one per app, made by `init_app`)."""
    return current_app.extensions["sign_in_throttle"]


def authenticate(office_code, username, password):
    """Check a sign-in. Returns (account, its key, the office key) or (None, problem, locked_until). The
    password is checked outside the write lock (it takes a deliberate fraction of a second). Every
    attempt is logged under this server's own office, whichever office was chosen."""
    here = current_app.config["OFFICE_CODE"]
    tried = {"office": office_code} if office_code != here else {}
    pair = (office_code, username, request.remote_addr)
    until = throttle().locked_until(pair)
    if until:
        audit.record("login_locked", target=username, actor=username, office_code=here, **tried)
        return None, "locked", until
    staff = Staff.find(office_code, username)
    opened = staff.open_key(password) if staff is not None and staff.active else spend_like_a_sign_in(password)
    if opened is None:
        until = throttle().fail(pair)
        reason = "unknown" if staff is None else "disabled" if not staff.active else "password"
        audit.record("login_failed", target=username if staff else "", actor=username if staff else "",
                     office_code=here, reason=reason, locked=bool(until), **tried)
        return None, ("locked" if until else "wrong"), until
    throttle().clear(pair)
    staff_key = opened or staff.set_password(password, current_app.config["KDF_MEMORY_MB"])  # b"": before keys
    with writing():
        staff.last_login = utcnow()
        staff.save()
        audit.record("login", target=staff.username, actor=staff.username, office_code=here, **tried)
    office_key = staff.office_key(staff_key)
    if office_key:
        grant_waiting(staff.office_code, office_key, staff.username)
        if current_app.config["ROLE"] != "hub":
            seal_for_hub(staff.office_code, office_key)
            handover.take_on(office_key)  # the messages of reports transferred here (kiosk.notify.handover)
        else:  # the reports held for transfer, sealed to the offices they go to (kiosk.transfers)
            transfers.seal_waiting(office_key)
    return staff, staff_key, office_key


def _locked_message(until):
    """The lockout message with the time the lock ends, in the office's time."""
    moment = dt.datetime.fromtimestamp(until, dt.timezone.utc).replace(tzinfo=None)  # shown in Asia/Jakarta
    return _("Too many failed attempts: signing in is locked until %(time)s. Try again then.",
             time=format_time(moment, "HH.mm"))


@bp.record_once
def init_app(state):
    """The app's own counts of failed sign-ins, and its session store."""
    state.app.extensions["sign_in_throttle"] = Throttle()
    sessions.init_app(state.app)


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
        staff, second, third = authenticate(form.office.data, username, form.password.data)
        if staff is not None and staff.totp_box:
            clear_session()
            session[PENDING_KEY] = sessions.start_pending(staff.id, second, third)
            return redirect(url_for("staff.second_factor", next=target), code=303)
        if staff is not None:
            sign_in(staff, second, third, must_enrol=totp_required(staff.office_code))
            return redirect(target, code=303)
        problem = _locked_message(third) if second == "locked" else PROBLEMS[second]
    status = 401 if problem else 400 if request.method == "POST" else 200
    return render("staff/login.html", status=status, form=form, problem=problem, next=target,
                  idle=request.args.get("idle") == "1")


@bp.route("/login/kode", methods=["GET", "POST"])
@guards.login_limit
def second_factor():
    """The second step of signing in: the code of the authenticator app, or a recovery code."""
    target = safe_next(request.values.get("next") or url_for("staff.index"))
    waiting = sessions.pending(session.get(PENDING_KEY))
    if waiting is None:
        session.pop(PENDING_KEY, None)
        return redirect(url_for("staff.login", next=target), code=303)
    form = SecondFactorForm(request.form if request.method == "POST" else None)
    problem = None
    if request.method == "POST" and form.validate():
        staff = Staff.get_or_none(Staff.id == waiting.staff_id)
        accepted, box = twofactor.check(staff, waiting.staff_key, form.code.data) if staff else (False, None)
        if accepted:
            if box:
                with writing():
                    staff.totp_box = box
                    staff.save()
            sessions.end_pending(session.get(PENDING_KEY))
            audit.record("login_totp", target=staff.username, actor=staff.username,
                         office_code=current_app.config["OFFICE_CODE"], recovery_code=box is not None)
            sign_in(staff, waiting.staff_key, waiting.office_key)
            return redirect(target, code=303)
        left = sessions.failed_try(session.get(PENDING_KEY))
        audit.record("login_failed", target=staff.username if staff else "", actor=staff.username if staff else "",
                     office_code=current_app.config["OFFICE_CODE"], reason="second factor", locked=not left)
        if not left:
            session.pop(PENDING_KEY, None)
            flash(_("Too many wrong codes: sign in again."), "error")
            return redirect(url_for("staff.login", next=target), code=303)
        problem = _("That code is not right. Type the 6 digits the app shows now, or one of your recovery codes.")
    status = 401 if problem else 400 if request.method == "POST" else 200
    return render("staff/second_factor.html", status=status, form=form, problem=problem, next=target)


@bp.post("/logout")
def logout():
    """Sign out and end the session."""
    if g.get("staff") is not None:
        audit.record("logout", target=g.staff.username)
    sign_out()
    flash(_("You have signed out."), "success")
    return redirect(url_for("staff.login"), code=303)
