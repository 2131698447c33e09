"""Staff sessions, held in this server's memory only. The browser's cookie carries a random token; the
server keeps the session under the token's SHA-256, with the account, its times and the office key that
signing in unlocked. Nothing on the disk makes a session: a stolen data folder (secret key and database
included) cannot forge one, and a restart signs everyone out. Signing out, a password reset and disabling
an account end every copy of the account's sessions at once; a session also ends after 30 idle minutes
and, however busy, 12 hours after it began."""
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field

from flask import current_app

IDLE_SECONDS = 30 * 60
LIFETIME_SECONDS = 12 * 3600


@dataclass
class Session:
    """One signed-in account in one browser."""

    staff_id: int
    office_key: bytes | None  # the office's private key, when the account holds a grant of it
    staff_key: bytes  # the account's own private key
    must_enrol: bool = False  # the office requires a second factor this account has not set up yet
    enrolling: str | None = None  # a TOTP secret being set up, until its first code confirms it
    started: float = field(default_factory=time.time)
    seen: float = field(default_factory=time.time)


PENDING_SECONDS = 5 * 60  # between the password and the second factor
PENDING_TRIES = 5


class Store:
    """The app's live sessions, by the SHA-256 of their token, and the sign-ins waiting for a second factor."""

    def __init__(self):
        self.sessions, self.pending, self.lock = {}, {}, threading.Lock()


def store():
    """This app's session store (one per app, made in `init_app`)."""
    return current_app.extensions["staff_sessions"]


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def start(staff_id, staff_key, office_key, must_enrol=False):
    """A new session for the account; returns the token for its cookie."""
    token = secrets.token_urlsafe(32)
    live = store()
    with live.lock:
        live.sessions[_digest(token)] = Session(staff_id, office_key, staff_key, must_enrol=must_enrol)
    return token


def start_pending(staff_id, staff_key, office_key):
    """A sign-in whose password was right, waiting for its second factor; returns its token."""
    token = secrets.token_urlsafe(32)
    live = store()
    with live.lock:
        live.pending[_digest(token)] = {"session": Session(staff_id, office_key, staff_key), "tries": 0}
    return token


def pending(token, now=None):
    """The Session waiting for its second factor under `token`, or None (unknown, expired, out of tries)."""
    now, live = now or time.time(), store()
    with live.lock:
        waiting = live.pending.get(_digest(token or ""))
        if waiting is None:
            return None
        if now - waiting["session"].started > PENDING_SECONDS or waiting["tries"] >= PENDING_TRIES:
            del live.pending[_digest(token)]
            return None
        return waiting["session"]


def failed_try(token):
    """Count a wrong second factor; returns the tries left (0: the sign-in is over)."""
    live = store()
    with live.lock:
        waiting = live.pending.get(_digest(token or ""))
        if waiting is None:
            return 0
        waiting["tries"] += 1
        left = PENDING_TRIES - waiting["tries"]
        if left <= 0:
            del live.pending[_digest(token)]
        return max(left, 0)


def end_pending(token):
    """Forget a pending sign-in."""
    live = store()
    with live.lock:
        live.pending.pop(_digest(token or ""), None)


def find(token, now=None):
    """(session, why) for a cookie's token: (Session, None) while it lives, else (None, 'idle' | 'ended')."""
    if not isinstance(token, str) or not token:
        return None, "ended"
    now, live, key = now or time.time(), store(), _digest(token)
    with live.lock:
        session = live.sessions.get(key)
        if session is None:
            return None, "ended"
        if now - session.seen > IDLE_SECONDS or now - session.started > LIFETIME_SECONDS:
            del live.sessions[key]
            return None, "idle"
        session.seen = now
        return session, None


def end(token):
    """End the session of this token."""
    live = store()
    with live.lock:
        live.sessions.pop(_digest(token or ""), None)


def end_all(staff_id, but=None):
    """End every session of the account (signed out everywhere), but the one of token `but`."""
    live, kept = store(), _digest(but) if but else None
    with live.lock:
        for key in [key for key, session in live.sessions.items() if session.staff_id == staff_id and key != kept]:
            del live.sessions[key]


def init_app(app):
    """Give `app` its own store of sessions (and of failed sign-ins: kiosk.staff.auth)."""
    app.extensions["staff_sessions"] = Store()
