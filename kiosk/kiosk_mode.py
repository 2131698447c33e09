"""Kiosk mode: the office's touch screen. `/kiosk` marks the browser as a kiosk; every visit ends
with a reset that wipes the session, the draft and the screen, so nothing of one person is left
for the next."""
from flask import Blueprint, current_app, redirect, request, url_for

from . import proxies
from .origin import cross_site
from .visit import become_kiosk, end_visit

bp = Blueprint("kiosk_mode", __name__)


def is_kiosk_device(address):
    """Whether `address` is one of the office's kiosk machines (KIOSK_DEVICES: addresses or networks; behind
    a proxy, KIOSK_TRUSTED_PROXIES, only those listed: none by default)."""
    return proxies.is_among(address, proxies.networks(current_app.config["DEVICES"]))


@bp.get("/kiosk")
def launch():
    """The kiosk's launch URL: start a clean visit and, from a kiosk machine, enter kiosk mode. A link from
    another site only leads to the start page: it cannot end someone's visit and its draft."""
    if cross_site():
        return redirect(url_for("pages.landing"), code=303)
    end_visit()
    become_kiosk(is_kiosk_device(request.remote_addr))
    return redirect(url_for("pages.landing"), code=303)


@bp.post("/kiosk/reset")
def reset():
    """Wipe the visit (idle timeout, 'start over', or after the receipt) and show the start screen."""
    end_visit()
    return redirect(url_for("pages.landing"), code=303)
