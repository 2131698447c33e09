"""The staff blueprint itself, apart from its views, so that each view module imports it from here
(and the package imports the views): no module imports one that imports it back."""
from flask import Blueprint

from ..assets import never_compress
from ..i18n import keep_params

bp = Blueprint("staff", __name__, url_prefix="/staff", cli_group=None)  # its commands sit at the top
never_compress(bp)  # its pages echo searches beside a CSRF token (BREACH); size matters little at the office
keep_params(bp)  # a list's filters stay on the language and display links (never compressed: see above)
