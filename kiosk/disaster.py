"""`kiosk recover-from-hub` (and the end of `kiosk restore`): after a lost disk, the rows the office sent the
hub come back (kiosk.sync.recovery), then the evidence files they name, from the backup store or the hub by
hash (kiosk.verify), all with the server lock held, so no server takes a report until it is done."""
import click
from flask import current_app

from . import verify
from .backup import BackupError, one_line, serve_lock
from .db import db
from .sync import recovery
from .sync.client import SyncError, plural


def do_recover(config):
    """Recover from the hub; one line for the operator, or ClickException (run again: it resumes)."""
    try:
        with serve_lock(config["DATA_DIR"]):
            applied, pages = recovery.run(config)
            with db.connection_context():
                checked = verify.run(config)
                recovery.finish()
    except BackupError as error:
        raise click.ClickException(f"recovery refused: {one_line(error)}; stop the server first")
    except SyncError as error:
        raise click.ClickException(f"recovery stopped: {one_line(error)}; run it again to resume")
    line = (f"recovered from the hub: {applied:,} rows new or newer here ({plural(pages, 'page')}); "
            f"evidence: {checked.summary()}")
    if checked.damaged:
        raise click.ClickException(line)
    return line


@click.command("recover-from-hub")
def recover_from_hub():
    """Get back from the hub every row and evidence file this office sent that it lacks (after a restore, or
    on a new install whose disk was lost), and raise its counters above the hub's."""
    if current_app.config["ROLE"] == "hub":
        raise click.ClickException("this is the hub (KIOSK_ROLE=hub): offices recover from it")
    click.echo(do_recover(current_app.config))


def init_app(app):
    """Give `app` its `recover-from-hub` command."""
    app.cli.add_command(recover_from_hub)
