"""The `kiosk` command: a Flask CLI group over the app factory. Each feature brings its own commands
to the app (`serve`, `init-db`, `create-staff`, `backup`, `sync`, `nightly`, the hub's); `restore` sits
on the group itself."""
import click
from flask.cli import FlaskGroup

from . import create_app
from .backup import restore_command
from .disaster import do_recover


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False, load_dotenv=False)
def main():
    """Pojok Laporan: Bawaslu's report corner."""


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
def restore(context, file):
    """Restore the database from a backup FILE (checksum and integrity checked first; refused while the
    server runs; the current database is kept aside), then get back from the hub what the office sent it
    after that backup (when KIOSK_HUB_URL and KIOSK_HUB_TOKEN are set)."""
    # The restore runs without building the app: building it opens and migrates the current database, which
    # may be the very thing that is broken. The app is built on the restored one, for the recovery.
    config = context.invoke(restore_command, file=file)
    if config["ROLE"] != "hub" and config["HUB_URL"] and config["HUB_TOKEN"]:
        app = create_app()
        with app.app_context():
            click.echo(do_recover(app.config))


main.add_command(restore)
