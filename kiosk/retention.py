"""Retention (UU 27/2022 Pasal 43): once a report has been closed for its outcome's retention period
(KIOSK_RETENTION_DAYS; a copy transferred to another office is closed by the transfer, once it is known to
have arrived), its personal data is destroyed: the reporter's sealed fields and key, the
witnesses, the evidence files and their names. What stays is a tombstone: the numbers, dates, places,
category, status history and counts, which the office's statistics and its register need. The destruction
is a change like any other, so the next sync destroys the hub's copy too."""
import datetime as dt

import click
from flask import current_app

from . import evidence
from .db import db, writing
from .deadlines import today
from .models import Draft, Evidence, Report, StatusEvent, utcnow
from .notify.models import Handover, Subscription
from .search import SearchToken
from .sms import models as sms_models
from .sms.models import SmsMessage, SmsSent
from .staff.models import AuditLog
from .store import evidence_store
from .transfers import ARRIVED, Transfer


def policy(text):
    """{outcome: days} and the default from KIOSK_RETENTION_DAYS: '1825' or '1825,withdrawn=365,...'."""
    default, by_outcome = None, {}
    for part in str(text).split(","):
        name, _, days = part.strip().rpartition("=")
        if not days.strip().isdigit():
            raise ValueError(f"KIOSK_RETENTION_DAYS: {part!r} is not a number of days")
        if name:
            by_outcome[name.strip()] = int(days)
        else:
            default = int(days)
    if default is None:
        raise ValueError("KIOSK_RETENTION_DAYS needs a number of days for every outcome")
    return default, by_outcome


# The statuses that close a report here: decided, or transferred to the office competent for it, which goes on
# with the case (kiosk.transfers). A transferred copy counts as closed only once this office knows it arrived.
CLOSING = ("selesai", "dilimpahkan")


def closed_on(report):
    """The Asia/Jakarta date the report was closed here, or None."""
    event = report.events.where(StatusEvent.status.in_(CLOSING)).order_by(StatusEvent.at.desc()).first()
    return event.at.date() if event else None


def period_of(report):
    """The policy's name for the report's retention period: its outcome, or 'dilimpahkan' when it was transferred."""
    return report.outcome if report.status == "selesai" else report.status


def due(config, on=None):
    """[(report, closed on, destroy from)] of the closed reports whose personal data is due for destruction."""
    on = on or today()
    default, by_outcome = policy(config["RETENTION_DAYS"])
    arrived = Transfer.select(Transfer.report).where(Transfer.state == ARRIVED)
    closed = Report.select().where(
        (Report.status == "selesai") | ((Report.status == "dilimpahkan") & Report.id.in_(arrived)),
        Report.erased_on.is_null())
    found = []
    for report in closed:
        day = closed_on(report)
        if day is None:
            continue
        until = day + dt.timedelta(days=by_outcome.get(period_of(report), default))
        if until <= on:
            found.append((report, day, until))
    return found


def erase(report, actor):
    """Destroy the report's personal data, keeping its tombstone; returns the evidence files to remove."""
    blobs = [name for item in report.evidence for name in (item.blob, item.original) if name]
    with writing():
        report = Report.get_by_id(report.id)
        report.personal = report.key_office = report.key_hub = report.reporter_nik_masked = report.notices = ""
        report.erased_on, report.updated_at = today(), utcnow()
        report.save()
        for witness in report.witnesses:
            witness.personal = ""
            witness.save()
        for item in report.evidence:
            item.personal, item.blob, item.original = "", "", ""
            item.save()
        for addition in report.additions:  # what was added, and its key
            addition.personal = addition.key_office = addition.key_hub = ""
            addition.save()
        Subscription.delete().where(Subscription.report == report.id).execute()  # the address for messages
        Handover.delete().where(Handover.report == report.id).execute()  # and as it came with a transfer
        SearchToken.delete().where(SearchToken.report == report.id).execute()
        sms_models.forget(SmsMessage.report == report.id, SmsSent.report == report.id)  # its SMS: number, text
        AuditLog.record(report.office_code, actor, "retention_erase", report.receipt_no)
    return blobs


def unreferenced_files(config):
    """Evidence files in the store that no evidence row and no draft names (erased, or left by a crash)."""
    named = {name for row in Evidence.select(Evidence.blob, Evidence.original).tuples() for name in row}
    for (files,) in Draft.select(Draft.files).tuples():
        named.update(files or [])
    return [blob for blob in evidence_store(config).hashes() if blob not in named]


def run(config, dry_run=False, actor="(retention)"):
    """Erase what is due and remove the files nothing names any more; returns (due list, files removed)."""
    found = due(config)
    if dry_run:
        return found, 0
    for report, _day, _until in found:
        erase(report, actor)
    store, removed = evidence_store(config), unreferenced_files(config)
    for blob in removed:
        store.remove(blob)
    evidence.previews(config).remove_orphans(store)
    return found, len(removed)


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="List what would be destroyed, and destroy nothing.")
def retention(dry_run):
    """Destroy the personal data of reports closed longer than their retention period (KIOSK_RETENTION_DAYS)."""
    with db.connection_context():
        found, removed = run(current_app.config, dry_run)
    for report, day, until in found:
        click.echo(f"{report.receipt_no}: closed {day.isoformat()} ({report.outcome or 'no outcome'}), "
                   f"personal data {'due for destruction' if dry_run else 'destroyed'} from {until.isoformat()}")
    verb = "would destroy" if dry_run else "destroyed"
    click.echo(f"retention: {verb} the personal data of {len(found):,} reports"
               + ("" if dry_run else f"; {removed:,} evidence files removed"))


def init_app(app):
    """Give `app` its `retention` command."""
    app.cli.add_command(retention)
