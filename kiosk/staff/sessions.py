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
    started: float = field(default_factory=time.time)
    seen: float = field(default_factory=time.time)
    reauthenticated: float = field(default_factory=time.time)  # the last time the password was typed


class Store:
    """The app's live sessions, by the SHA-256 of their token."""

    def __init__(self):
        self.sessions, self.lock = {}, threading.Lock()


def store():
    """This app's session store (one per app, made in `init_app`)."""
    return current_app.extensions["staff_sessions"]


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def start(staff_id, staff_key, office_key):
    """A new session for the account; returns the token for its cookie."""
    token = secrets.token_urlsafe(32)
    live = store()
    with live.lock:
        live.sessions[_digest(token)] = Session(staff_id, office_key, staff_key)
    return token


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


def end_all(staff_id):
    """End every session of the account (signed out everywhere)."""
    live = store()
    with live.lock:
        for key in [key for key, session in live.sessions.items() if session.staff_id == staff_id]:
            del live.sessions[key]


def init_app(app):
    """Give `app` its own store of sessions (and of failed sign-ins: kiosk.staff.auth)."""
    app.extensions["staff_sessions"] = Store()
