"""`kiosk notify`: send the reporters' messages that are due, once (also a periodic job of `kiosk serve`
and part of `kiosk nightly`)."""
import click

from .. import housekeeping
from ..db import db
from .sender import deliver


def summary(tally):
    """One line of what a round of sending did."""
    return f"messages: {tally.sent:,} sent, {tally.failed:,} failed (tried again later), {tally.waiting:,} waiting"


@housekeeping.job
def send_due(config):
    """The periodic job: what is due goes out (the hub has no reporters' messages)."""
    return summary(deliver())


@click.command("notify")
def notify():
    """Send the reporters' messages that are due; one summary line. Exit 1 when some failed."""
    with db.connection_context():
        tally = deliver()
    click.echo(summary(tally))
    if tally.failed:
        raise SystemExit(1)


def init_app(app):
    """Give `app` its `notify` command."""
    app.cli.add_command(notify)
