"""Handing keys on, when an account holding the office key signs in: the office key to the office's accounts
that do not have it yet (sealed to each one's public key; every grant in the audit log), and the key of each
report taken before the office knew the hub's key to the hub (so that provincial staff can open it)."""
from .. import sealing
from ..db import writing
from ..models import Report
from .models import AuditLog, Staff

RESEAL_AT_ONCE = 5000  # reports handed to the hub per sign-in (the rest at the next ones)


def grant_waiting(office_code, office_key, actor):
    """Grant `office_key` to every active account of the office waiting for it; returns their usernames."""
    granted = []
    with writing():
        for account in Staff.waiting_for_a_grant(office_code):
            account.give_office_key(office_key)
            account.save()
            AuditLog.record(office_code, actor, "key_grant", account.username)
            granted.append(account.username)
    return granted


def seal_for_hub(office_code, office_key):
    """Seal to the hub the keys of the office's reports that lack it; returns how many."""
    if not sealing.hub_key():
        return 0
    waiting = list(Report.select().where(Report.office_code == office_code, Report.key_hub == "")
                   .limit(RESEAL_AT_ONCE))
    with writing():
        for report in waiting:
            if sealing.reseal_for_hub(report, office_key):
                report.save()  # a new change number: the next sync sends it
    return len(waiting)
