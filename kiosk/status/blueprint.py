"""The status blueprint itself, apart from its views, so that each view module imports it from here
(and the package imports the views): no module imports one that imports it back."""
from flask import Blueprint

from ..i18n import keep_params

bp = Blueprint("status", __name__)
keep_params(bp, "kode")  # the code looked up stays on the page in the other language
