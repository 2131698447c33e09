"""The staff workspace at `/staff/`."""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")
