"""Abuse guards for a public, unattended corner: rate limits (a kiosk, many people behind one
address, gets its own higher limits), a honeypot field and a minimum time to fill in a report —
both invisible to people, no CAPTCHA."""
import datetime as dt

from flask import abort, current_app, request

from .extensions import limiter
from .kiosk_mode import is_kiosk_device
from .models import utcnow

HONEYPOT = "website"  # a field people never see; software that fills every field fills it


def _limit(name):
    """The configured limit `RATE_<name>`, or `RATE_<name>_KIOSK` for the office's kiosk machines."""

    def value():
        kiosk = is_kiosk_device(request.remote_addr)
        return current_app.config[f"RATE_{name}_KIOSK" if kiosk else f"RATE_{name}"]

    return value


submit_limit = limiter.limit(_limit("SUBMIT"), methods=["POST"])
draft_limit = limiter.limit(_limit("SUBMIT"), exempt_when=lambda: "jenis" not in request.args)  # new drafts
status_limit = limiter.limit(_limit("STATUS"), exempt_when=lambda: "kode" not in request.args)
addition_limit = limiter.limit(_limit("STATUS"), methods=["POST"])  # the tracking code is the key here too
login_limit = limiter.limit(_limit("LOGIN"), methods=["POST"])
phone_limit = limiter.limit(_limit("UPLOAD"), methods=["POST"])  # files sent through the phone's link
upload_limit = limiter.limit(_limit("UPLOAD"), methods=["POST"], exempt_when=lambda: request.mimetype != "multipart/form-data")


def refuse_honeypot():
    """A before_request hook: a post whose hidden honeypot field is filled in is refused (400),
    and nothing of it is stored."""
    if request.method == "POST" and request.form.get(HONEYPOT):
        abort(400)


def too_quick(draft):
    """Whether a report is sent sooner after it was begun than a person could write one."""
    seconds = current_app.config["MIN_FORM_SECONDS"]
    return seconds > 0 and utcnow() - draft.created_at < dt.timedelta(seconds=seconds)


def init_app(app):
    """Bind the limiter to `app`; templates may name the honeypot field."""
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)  # bytes on GPRS; the 429 page says it
    limiter.init_app(app)
    app.jinja_env.globals["honeypot_name"] = HONEYPOT
