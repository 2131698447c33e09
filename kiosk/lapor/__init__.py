"""The citizen's report at `/lapor/`: a formal report or an anonymous tip, step by step, to a receipt."""
from flask import Blueprint

from ..guards import refuse_honeypot
from ..i18n import keep_params

bp = Blueprint("lapor", __name__, url_prefix="/lapor")
bp.before_request(refuse_honeypot)
keep_params(bp, "kembali", "cek")  # back to the review; the review's "complete it" link

from . import lists, receipt, routes  # noqa: E402,F401  (the views register themselves on bp)
