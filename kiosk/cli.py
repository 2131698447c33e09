"""The `kiosk` command: a Flask CLI group over the app factory. Each feature brings its own commands
to the app (`serve`, `init-db`, `create-staff`, `backup`, `sync`, `nightly`, the hub's); `restore` sits
on the group itself."""
import click
from flask.cli import FlaskGroup

from . import create_app
from .backup import restore_command


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False, load_dotenv=False)
def main():
    """Pojok Laporan: Bawaslu's report corner."""


# Restore runs without building the app: building it opens and migrates the current database, which
# may be the very thing that is broken.
main.add_command(restore_command)
