"""`kiosk nightly`: the evidence check (`kiosk verify`), the backup, the retention of personal data, the
housekeeping jobs (stale drafts, the reporters' messages due), the query planner's statistics, then the sync, one summary line (what the
02:00 timer runs). Each is attempted; the exit is non-zero if the backup or the sync failed, with one line on
stderr and never a traceback. A damaged file that cannot be repaired is named in the line and listed on
/healthz and the staff pages, but fails nothing: it would fail every night."""
import click
from flask import current_app

from . import housekeeping, planner, postgres, retention
from .backup import do_backup
from .db import db
from .sync.commands import do_sync
from .verify import do_verify


@click.command("nightly")
def nightly():
    """Verify, backup, retention, then sync; one summary line. Non-zero exit if the backup or the sync failed."""
    config = current_app.config
    parts, failed = [], False
    checked = do_verify(config)
    parts.append(f"verify {'ok' if not checked.damaged else 'found damage'} ({checked.summary()})")
    if postgres.is_postgres(config["DATABASE_URL"]):
        parts.append("backup skipped (the database is PostgreSQL's: pg_dump)")
    else:
        failed = _backup(config, parts)
    with db.connection_context():
        erased, removed = retention.run(config)
    parts.append(f"retention: {len(erased):,} reports erased, {removed:,} files removed")
    parts.extend(housekeeping.run_all(config))
    if planner.refresh(db):
        parts.append("statistics refreshed")
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


def init_app(app):
    """Give `app` its `nightly` command."""
    app.cli.add_command(nightly)


def _backup(config, parts):
    """The nightly backup, its outcome added to `parts`; whether it failed."""
    try:
        made = do_backup(config, config["BACKUP_KEEP"])
        parts.append(f"backup ok ({made.path.name}, {made.size:,} bytes, {made.evidence_new:,} new evidence files)")
    except click.ClickException as error:
        parts.append(error.message)
        return True
    return False
