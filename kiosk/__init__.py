"""Pojok Laporan: Bawaslu's report corner. `create_app` builds the Flask app for an office or the hub."""
from flask import Flask

from . import inputs, logs, paths, settings
from .extensions import csrf, htmx


def create_app(test_config=None):
    """Build the app from `KIOSK_*` environment variables, overridden by `test_config`."""
    app = Flask(__name__, template_folder=str(paths.TEMPLATES), static_folder=str(paths.STATIC))
    app.request_class = inputs.Request  # text values arrive without NUL and control characters
    config = settings.from_environ()
    config.update(test_config or {})
    app.config.update(settings.finish(config))
    logs.configure()

    csrf.init_app(app)
    htmx.init_app(app)

    from . import assets, backup, db, disaster, display, guards, i18n, kiosk_mode, nightly, pages, proxies, retention, server, sync, verify, web
    from .notify import commands as notify_commands
    from .sms import commands as sms_commands
    from .sms import pages as sms_pages  # noqa: F401  (the SMS pages join the staff blueprint before it registers)
    from .sms import poster as sms_poster
    from .lapor import bp as lapor_bp
    from .staff import bp as staff_bp
    from .status import bp as status_bp

    proxies.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    web.init_app(app)
    assets.init_app(app)
    guards.init_app(app)
    server.init_app(app)
    backup.init_app(app)
    nightly.init_app(app)
    retention.init_app(app)
    notify_commands.init_app(app)
    verify.init_app(app)
    disaster.init_app(app)
    sms_commands.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(kiosk_mode.bp)
    app.register_blueprint(display.bp)
    app.register_blueprint(lapor_bp)
    app.register_blueprint(status_bp)
    app.register_blueprint(sms_poster.bp)
    app.register_blueprint(staff_bp)
    sync.init_app(app)  # the hub's ingest API, on the hub only
    return app
