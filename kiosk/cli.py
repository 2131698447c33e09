"""The `kiosk` command: a Flask CLI group over the app factory."""
import click
from flask import current_app
from flask.cli import FlaskGroup

from . import create_app, db, nightly, regions
from .backup import BackupError, serve_lock
from .config import MB
from .staff.commands import create_staff
from .sync import commands as hub_commands


@click.command("serve")
@click.option("--host", default=None, help="Address to listen on (default KIOSK_HOST, 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default KIOSK_PORT, 8000).")
def serve(host, port):
    """Serve the app with waitress: bounded threads, short timeouts, a request-body limit."""
    from waitress import serve as waitress_serve

    config = current_app.config
    host, port = host or config["HOST"], port or config["PORT"]
    try:
        with serve_lock(config["DATA_DIR"]):  # held while serving, so that `kiosk restore` refuses
            click.echo(f"{regions.office_name(config['OFFICE_CODE'])} ({config['ROLE']}) on http://{host}:{port}")
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


@click.command("init-db")
def init_db():
    """Create the database or bring its schema up to date (safe to run again)."""
    db.migrate()  # the factory has already migrated; this is for clarity and is a no-op then
    with db.db.connection_context():
        version = db.schema_version()
    config = current_app.config
    click.echo(f"{regions.office_name(config['OFFICE_CODE'])} ({config['OFFICE_CODE']}, {config['ROLE']}): "
               f"schema version {version}, database {config['DATABASE']}")


def init_app(app):
    """Register the commands on `app`."""
    for command in (serve, init_db, create_staff, *nightly.COMMANDS, *hub_commands.COMMANDS):
        app.cli.add_command(command)


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False, load_dotenv=False)
def main():
    """Pojok Laporan: Bawaslu's report corner."""


# Restore runs without building the app: building it opens and migrates the current database, which
# may be the very thing that is broken.
main.add_command(nightly.restore)
