"""The public status lookup at `/status`: a tracking code in, the public timeline out."""
from flask import Blueprint

from ..i18n import keep_params

bp = Blueprint("status", __name__)
keep_params(bp, "kode")  # the code looked up stays on the page in the other language

from . import routes  # noqa: E402,F401
