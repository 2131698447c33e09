"""Handing the office key on: an account holding it (signed in, or the recovery key at the command line)
grants it to the office's accounts that do not have it yet, sealed to each one's public key. Every grant is
in the audit log."""
from ..db import writing
from .models import AuditLog, Staff


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
