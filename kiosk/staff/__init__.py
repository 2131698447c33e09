"""The staff workspace at `/staff/`: the day's reports, their review against the law, status changes,
the daily recap and export, accounts and the audit log. Every route needs a signed-in account of the
office whose report it touches; accounts and the audit log need an office admin. On the hub it is the
provincial workspace: every office's reports, read-only, for the province's own accounts (`hub`)."""
from flask import Blueprint

from ..assets import never_compress
from ..i18n import keep_params

bp = Blueprint("staff", __name__, url_prefix="/staff", cli_group=None)  # its commands sit at the top
never_compress(bp)  # its pages echo searches beside a CSRF token (BREACH); size matters little at the office
keep_params(bp)  # a list's filters stay on the language and display links (never compressed: see above)

from . import (  # noqa: E402,F401
    accounts,
    commands,
    assisted,
    audit,
    auth,
    context,
    exports,
    listing,
    report,
    transitions,
)
