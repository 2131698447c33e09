"""The citizen's report at `/lapor/`: a formal report or an anonymous tip, step by step, to a receipt."""
from .blueprint import bp  # noqa: F401
from . import lists, phone_pages, receipt, routes, voice  # noqa: F401  (the views and commands register themselves on bp)
