"""The public status lookup at `/status`: a tracking code in, the public timeline out."""
from flask import Blueprint

bp = Blueprint("status", __name__)

from . import routes  # noqa: E402,F401
