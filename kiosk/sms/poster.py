"""How citizens use the office's SMS number, told where they look: the landing page, the kiosk's start
screen (an include, shown once KIOSK_SMS_NUMBER is set) and a printable poster at /sms."""
from flask import Blueprint, abort, current_app

from ..web import render

bp = Blueprint("sms", __name__)


@bp.app_context_processor
def sms_number():
    """The office's SMS number for every page ('' when the office has none)."""
    return {"sms_number": current_app.config["SMS_NUMBER"]}


@bp.get("/sms")
def poster():
    """The poster to print and hang: the number, and what to send to report or to check a status."""
    if not current_app.config["SMS_NUMBER"]:
        abort(404)
    return render("sms/poster.html")
