"""The public status lookup at `/status`: a tracking code in, the public timeline out."""
from .blueprint import bp  # noqa: F401
from . import routes  # noqa: F401
