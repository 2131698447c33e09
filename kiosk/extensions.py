"""The Flask extensions, made here once and bound to the app in the factory (`kiosk.create_app`):
modules import them from here, never from the package itself."""
from flask_babel import Babel
from flask_compress import Compress
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
htmx = HTMX()
babel = Babel()
compress = Compress()
# In memory: one waitress process per office.
limiter = Limiter(key_func=get_remote_address, storage_uri="memory://", strategy="moving-window")
