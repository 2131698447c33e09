"""The Flask extensions, made here once and bound to the app in the factory (`kiosk.create_app`):
modules import them from here, never from the package itself."""
import hashlib
import hmac
import secrets

from flask import request
from flask_babel import Babel
from flask_compress import Compress
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFProtect

_ADDRESS_KEY = secrets.token_bytes(32)  # this process's only: a visitor's count cannot be linked to an address


def visitor():
    """The rate limits' key for the visitor: a keyed hash of the address, never the address itself (the
    limiter keeps its keys in memory and writes them into its log lines)."""
    address = (request.remote_addr or "").encode()
    return hmac.new(_ADDRESS_KEY, address, hashlib.sha256).hexdigest()[:16]


csrf = CSRFProtect()
htmx = HTMX()
babel = Babel()
compress = Compress()
# In memory: one waitress process per office.
limiter = Limiter(key_func=visitor, storage_uri="memory://", strategy="moving-window")
