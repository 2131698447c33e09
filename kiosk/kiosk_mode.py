"""Kiosk mode: the office's touch screen. `/kiosk` marks the browser as a kiosk; every visit ends
with a reset that wipes the session, the draft and the screen, so nothing of one person is left
for the next."""
import ipaddress

from flask import Blueprint, current_app, redirect, request, url_for

from .visit import become_kiosk, end_visit

bp = Blueprint("kiosk_mode", __name__)


def is_kiosk_device(address):
    """Whether `address` is one of the office's kiosk machines (KIOSK_DEVICES: addresses or networks)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net.strip(), strict=False)
               for net in current_app.config["DEVICES"].split(",") if net.strip())


@bp.get("/kiosk")
def launch():
    """The kiosk's launch URL: start a clean visit and, from a kiosk machine, enter kiosk mode."""
    end_visit()
    become_kiosk(is_kiosk_device(request.remote_addr))
    return redirect(url_for("pages.landing"), code=303)


@bp.post("/kiosk/reset")
def reset():
    """Wipe the visit (idle timeout, 'start over', or after the receipt) and show the start screen."""
    end_visit()
    return redirect(url_for("pages.landing"), code=303)
