"""The back office's own records: staff accounts and the audit log. Both stay in the office (they
are not replicated to the hub), and the audit log never holds a citizen's NIK, phone or address."""
import datetime as dt
import hashlib

import peewee as pw
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import BaseModel
from ..models import JSONText, utcnow

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
# Compared against when the username is unknown, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a password", method="scrypt")


class Staff(BaseModel):
    """An account of one office, with the role `petugas` (staff) or `admin`."""

    office_code = pw.CharField()
    username = pw.CharField()
    role = pw.CharField(default="petugas")
    password_hash = pw.CharField()
    active = pw.BooleanField(default=True)
    failed_logins = pw.IntegerField(default=0)
    locked_until = pw.DateTimeField(null=True)
    last_login = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("office_code", "username"), True),)

    @property
    def is_admin(self):
        """Whether this account manages the office's accounts and reads the audit log."""
        return self.role == "admin"

    def set_password(self, password):
        """Store a salted scrypt hash of `password` (werkzeug's default modern KDF)."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password):
        """Whether `password` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def session_key(self):
        """A short fingerprint of the password hash: a session made before a password reset no
        longer matches it, so resetting a password signs that account out everywhere."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    def is_locked(self, now=None):
        """Whether too many failed sign-ins lock the account right now."""
        return bool(self.locked_until and self.locked_until > (now or utcnow()))

    def record_failure(self, now=None):
        """Count a failed sign-in; the fifth in a row locks the account for 15 minutes."""
        now = now or utcnow()
        self.failed_logins += 1
        if self.failed_logins >= MAX_FAILED_LOGINS:
            self.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
            self.failed_logins = 0
        self.save()

    def record_success(self, now=None):
        """Clear the failure count and note the time of this sign-in."""
        self.failed_logins, self.locked_until, self.last_login = 0, None, now or utcnow()
        self.save()

    @classmethod
    def find(cls, office_code, username):
        """The account `username` of the office, or None."""
        return cls.get_or_none((cls.office_code == office_code) & (cls.username == username))

    @classmethod
    def of_office(cls, office_code):
        """The office's accounts, by name."""
        return cls.select().where(cls.office_code == office_code).order_by(cls.username)


def check_unknown(password):
    """Spend the time a password check takes, for a username that does not exist."""
    check_password_hash(_DUMMY_HASH, password)
    return False


class AuditLog(BaseModel):
    """Who did what, when, in an office: sign-ins, personal-data views, status changes, exports and
    account changes. `target` is a receipt number, a username or a date range, never personal data."""

    at = pw.DateTimeField(default=utcnow, index=True)
    actor = pw.CharField(default="")
    office_code = pw.CharField(index=True)
    action = pw.CharField(index=True)
    target = pw.CharField(default="")
    detail = JSONText(default=dict)

    @classmethod
    def record(cls, office_code, actor, action, target="", **detail):
        """Write one entry; call inside a write transaction or on its own (it commits itself)."""
        return cls.create(office_code=office_code, actor=actor, action=action, target=target, detail=detail)


MODELS = [Staff, AuditLog]
