"""`kiosk sms`: read gammu-smsd's inbox once; the loop `kiosk serve` runs to read it every
KIOSK_SMS_POLL_SECONDS (a thread of its own, apart from the 10-minute housekeeping); and the housekeeping
job that forgets old SMS that made no report."""
import logging
import threading

import datetime as dt

import click
from flask import current_app

from .. import housekeeping
from ..db import db, writing
from ..models import utcnow
from . import inbox
from .models import SmsMessage, SmsSent, forget

log = logging.getLogger(__name__)


def configured(config):
    """Whether this office has an SMS modem: both gammu-smsd folders set (never at the hub)."""
    return bool(config["SMSD_INBOX"] and config["SMSD_OUTBOX"]) and config["ROLE"] == "office"


def summary(tally):
    """One line of what a round did."""
    return (f"sms: {tally.read:,} read, {tally.reports:,} reports, {tally.replies:,} replies queued, "
            f"{tally.again:,} already read, {tally.failed:,} left for the next round")


@housekeeping.job
def forget_old(config):
    """The periodic job: SMS that made no report (help, status checks, operator notices, dismissed ones)
    lose their number and text after KIOSK_SMS_KEEP_DAYS; an SMS tip's go with the report's retention."""
    before = utcnow() - dt.timedelta(days=config["SMS_KEEP_DAYS"])
    old = SmsMessage.report.is_null() & (SmsMessage.received_at < before) & (SmsMessage.text != "")
    with writing():
        count = SmsMessage.select().where(old).count()
        forget(old, SmsSent.report.is_null() & (SmsSent.at < before))
    return f"sms: {count:,} old messages forgotten"


@click.command("sms")
def sms():
    """Read the SMS waiting in KIOSK_SMSD_INBOX once (a message read twice makes one report); one summary line.
    Exit 1 when some could not be read (they stay in the inbox)."""
    if not configured(current_app.config):
        raise click.ClickException("set KIOSK_SMSD_INBOX and KIOSK_SMSD_OUTBOX to gammu-smsd's inbox and outbox paths")
    with db.connection_context():
        tally = inbox.process()
    click.echo(summary(tally))
    if tally.failed:
        raise SystemExit(1)


def start(app):
    """Read the inbox now and every KIOSK_SMS_POLL_SECONDS in a daemon thread, when the office has a modem;
    returns an Event that stops it (or None)."""
    if not configured(app.config):
        return None
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            try:
                with app.app_context(), db.connection_context():
                    inbox.process()
            except Exception:  # a failed round is logged; the next one tries again
                log.exception("reading the SMS inbox failed")
            stop.wait(app.config["SMS_POLL_SECONDS"])

    threading.Thread(target=loop, name="sms-inbox", daemon=True).start()
    return stop


def init_app(app):
    """Give `app` its `sms` command."""
    app.cli.add_command(sms)
