"""The operator's commands for the nightly job: `kiosk backup`, `kiosk restore FILE`, `kiosk sync`
and `kiosk nightly` (backup, then sync, one summary line). Expected failures (hub down, a refused
batch, a bad checksum) end with one line on stderr and a non-zero exit, never a traceback."""
import sqlite3

import click
import peewee as pw
from flask import current_app

from . import backup as backups
from . import config as settings
from .db import db, writing
from .sync.client import SyncError
from .sync.client import run as run_sync
from .sync.models import SyncState


def record(kind, result):
    """Remember the outcome of the last backup or sync, for /healthz. Best effort: a database too
    busy to take the note must not turn a good backup into a failed one."""
    try:
        with db.connection_context(), writing():
            SyncState.record(kind, result)
    except pw.OperationalError as error:
        click.echo(f"warning: the {kind} outcome was not recorded for /healthz: {error}", err=True)


def one_line(error):
    """An exception's message on one line."""
    return " ".join(str(error).split()) or error.__class__.__name__


def do_backup(config, keep):
    """Run a backup and record its outcome; returns the Backup or raises ClickException."""
    try:
        made = backups.make_backup(config, keep)
    except (backups.BackupError, OSError, sqlite3.Error) as error:
        record("backup", f"error: {one_line(error)}")
        raise click.ClickException(f"backup failed: {one_line(error)}")
    record("backup", "ok" if not made.evidence_damaged else f"error: {made.evidence_damaged} evidence files damaged")
    return made


def do_sync(config, batch_size):
    """Run a sync and record its outcome; returns the Tally or raises ClickException."""
    try:
        tally = run_sync(config, batch_size)
    except SyncError as error:
        record("sync", f"error: {one_line(error)}")
        raise click.ClickException(f"sync failed: {one_line(error)}")
    except Exception as error:  # unexpected: still leave a trace for /healthz, then the traceback
        record("sync", f"error: {error.__class__.__name__}")
        raise
    record("sync", "ok")
    return tally


@click.command("backup")
@click.option("--keep", type=click.IntRange(1), default=None, help="Backups to keep (default KIOSK_BACKUP_KEEP, 14).")
def backup(keep):
    """Back up the database (online, verified, checksummed) and new evidence files into DATA_DIR/backups."""
    config = current_app.config
    made = do_backup(config, keep or config["BACKUP_KEEP"])
    click.echo(f"backup ok: {made.summary()}")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
def restore(file):
    """Restore the database from a backup FILE (checksum and integrity checked first; refused while
    the server runs; the current database is kept aside)."""
    # Registered on the command group itself, so it runs without building the app: building the app
    # opens and migrates the current database, which may be the very thing that is broken.
    config = settings.finish(settings.from_environ())
    try:
        done = backups.restore(config, file)
    except (backups.BackupError, OSError, sqlite3.Error) as error:
        raise click.ClickException(f"restore refused: {one_line(error)}")
    click.echo(done.summary())


@click.command("sync")
@click.option("--batch-size", type=click.IntRange(1, 5000), default=None,
              help="Rows per batch (default KIOSK_SYNC_BATCH, 500).")
def sync(batch_size):
    """Push every row changed since the hub's last acknowledgement, then the evidence it lacks."""
    config = current_app.config
    with db.connection_context():
        tally = do_sync(config, batch_size)
    click.echo(f"sync ok: {tally.summary()}")


@click.command("nightly")
def nightly():
    """Backup, then sync; one summary line. Non-zero exit if either failed (both are attempted)."""
    config = current_app.config
    parts, failed = [], False
    try:
        made = do_backup(config, config["BACKUP_KEEP"])
        parts.append(f"backup ok ({made.path.name}, {made.size:,} bytes, {made.evidence_new:,} new evidence files)")
    except click.ClickException as error:
        parts.append(error.message)
        failed = True
    if config["ROLE"] == "hub":
        parts.append("sync skipped (this is the hub)")
    else:
        try:
            with db.connection_context():
                tally = do_sync(config, None)
            parts.append(f"sync ok ({tally.summary()})")
        except click.ClickException as error:
            parts.append(error.message)
            failed = True
    line = f"nightly {config['OFFICE_CODE']}: " + "; ".join(parts)
    if failed:
        raise click.ClickException(line)
    click.echo(line)


COMMANDS = (backup, sync, nightly)
