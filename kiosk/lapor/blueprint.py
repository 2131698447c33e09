"""The lapor blueprint itself, apart from its views, so that each view module imports it from here
(and the package imports the views): no module imports one that imports it back."""
from flask import Blueprint

from ..guards import refuse_honeypot
from ..i18n import keep_params

bp = Blueprint("lapor", __name__, url_prefix="/lapor", cli_group=None)  # `kiosk voice` sits at the top
bp.before_request(refuse_honeypot)
keep_params(bp, "kembali", "cek")  # back to the review; the review's "complete it" link
