"""`kiosk serve`: the app behind waitress, with bounded threads, short timeouts and a body limit."""
import click
from flask import current_app

from . import housekeeping, regions
from .backup import BackupError, serve_lock
from .db import db
from .keyring import Keyring
from .settings import MB
from .store import evidence_store
from .sms import commands as sms_commands


@click.command("serve")
@click.option("--host", default=None, help="Address to listen on (default KIOSK_HOST, 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default KIOSK_PORT, 8000).")
def serve(host, port):
    """Serve the app with waitress: bounded threads, short timeouts, a request-body limit."""
    from waitress import serve as waitress_serve

    config = current_app.config
    host, port = host or config["HOST"], port or config["PORT"]
    with db.connection_context():
        if not Keyring.exists(config["OFFICE_CODE"]):  # nothing could be sealed, so nothing may be taken
            raise click.ClickException(f"{config['OFFICE_CODE']} has no keys yet: run `kiosk init-keys --admin NAME` "
                                       "first (it prints the recovery key)")
    try:
        with serve_lock(config["DATA_DIR"]):  # held while serving, so that `kiosk restore` refuses
            # What a crash, a full disk or a cut upload left half-written: no request is writing yet.
            cleaned = evidence_store(config).clean_partials()
            if cleaned:
                click.echo(f"removed {cleaned} partial evidence file{'s' if cleaned > 1 else ''} left by an earlier run")
            click.echo(f"{regions.office_name(config['OFFICE_CODE'])} ({config['ROLE']}) on http://{host}:{port}")
            housekeeping.start(current_app._get_current_object())  # stale drafts go even on a quiet day
            sms_commands.start(current_app._get_current_object())  # the modem's messages, every few seconds
            waitress_serve(
                current_app._get_current_object(), host=host, port=port,
                threads=config["THREADS"],
                channel_timeout=60,  # a phone on GPRS needs a minute to send a photo; idle sockets go after that
                connection_limit=200,
                # Above Flask's own limit, so that an oversized upload gets Flask's friendly 413 page.
                max_request_body_size=config["MAX_CONTENT_LENGTH"] + 8 * MB,
                ident="",  # no Server header: bytes on GPRS, and nothing to fingerprint
            )
    except BackupError as error:
        raise click.ClickException(str(error))


def init_app(app):
    """Give `app` its `serve` command."""
    app.cli.add_command(serve)
