"""The sync's commands: at an office `kiosk sync`; at the hub the operator's `hub-add-office` (the office's
token printed once; the hub keeps only the public key it derives) and `hub-revoke-office`."""
import click
from flask import current_app

from .. import health, regions
from ..backup import one_line
from ..db import db, writing
from ..models import utcnow
from . import receive
from .client import SyncError
from .client import run as run_sync
from .ingest import MAX_ROWS
from .models import HubOffice
from .signing import PUBLIC_KEY_SHAPE, new_token, public_key


def do_sync(config, batch_size):
    """Run a sync and record its outcome for /healthz; returns the Tally or raises ClickException."""
    try:
        tally = run_sync(config, batch_size, after=receive.exchange)  # then the transfers between offices
    except SyncError as error:
        health.record("sync", f"error: {one_line(error)}")
        raise click.ClickException(f"sync failed: {one_line(error)}")
    except Exception as error:  # unexpected: still leave a trace for /healthz, then the traceback
        health.record("sync", f"error: {error.__class__.__name__}")
        raise
    health.record("sync", "ok")
    return tally


@click.command("sync")
@click.option("--batch-size", type=click.IntRange(1, MAX_ROWS), default=None,
              help=f"Rows per batch (default KIOSK_SYNC_BATCH, 15,000; at most {MAX_ROWS:,}, what the hub takes).")
def sync(batch_size):
    """Push every row changed since the hub's last acknowledgement, then the evidence it lacks."""
    config = current_app.config
    with db.connection_context():
        tally = do_sync(config, batch_size)
    click.echo(f"sync ok: {tally.summary()}")
    stored, arrived = getattr(tally, "transfers", (0, 0))
    if stored or arrived:
        click.echo(f"transfers: {stored} received and stored, {arrived} of this office's arrived")


def require_hub():
    """ClickException unless this app runs as the hub."""
    if current_app.config["ROLE"] != "hub":
        raise click.ClickException("this command runs on the hub (KIOSK_ROLE=hub)")


@click.command("hub-add-office")
@click.option("--code", required=True, help="The office's Kemendagri code, e.g. 36.73.")
@click.option("--new-token", "replace", is_flag=True,
              help="Issue a new token for an office already registered (also lifts a revocation).")
@click.option("--public-key", "given", default=None,
              help="Register the public key an office derived from a token of its own (64 hex digits) "
                   "instead of issuing a token.")
def hub_add_office(code, replace, given):
    """Register an office at the hub and print its token, once; the hub keeps only its public key."""
    require_hub()
    if not regions.is_child(regions.PROVINCE, code):
        known = ", ".join(c for c, _ in regions.regencies())
        raise click.ClickException(f"unknown office code {code!r}; Banten's offices are {known}")
    if given is not None and not PUBLIC_KEY_SHAPE.fullmatch(given.lower()):
        raise click.BadParameter("a public key is 64 hex digits", param_hint="--public-key")
    token = None if given else new_token()
    key = given.lower() if given else public_key(token)
    with db.connection_context(), writing():
        office = HubOffice.get_or_none(HubOffice.code == code)
        if office and not replace:
            raise click.ClickException(f"{code} is already registered; --new-token issues a new token")
        if office:
            office.public_key, office.token_hash, office.revoked_at = key, "", None
            office.save()
        else:
            HubOffice.create(code=code, public_key=key)
    if token is None:
        click.echo(f"{regions.office_name(code)} ({code}) registered with the public key {key}.")
        return
    click.echo(f"{regions.office_name(code)} ({code}) registered. Its token is shown only now (the hub keeps "
               f"only the public key {key}); set it as KIOSK_HUB_TOKEN at the office:")
    click.echo(token)


@click.command("hub-revoke-office")
@click.option("--code", required=True, help="The office's Kemendagri code, e.g. 36.73.")
def hub_revoke_office(code):
    """Revoke an office's token: the hub refuses its requests from now on."""
    require_hub()
    with db.connection_context(), writing():
        changed = HubOffice.update(revoked_at=utcnow()).where(
            HubOffice.code == code, HubOffice.revoked_at.is_null()).execute()
        known = HubOffice.select().where(HubOffice.code == code).exists()
    if not known:
        raise click.ClickException(f"{code} is not registered at this hub")
    click.echo(f"{code} revoked{'' if changed else ' (it already was)'}; "
               f"`kiosk hub-add-office --code {code} --new-token` issues a new token")


COMMANDS = (sync, hub_add_office, hub_revoke_office)
