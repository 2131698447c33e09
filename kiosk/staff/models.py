"""The back office's own records: staff accounts and the audit log. Both stay in the office (they
are not replicated to the hub), and the audit log never holds a citizen's NIK, phone or address."""
import peewee as pw
from werkzeug.security import check_password_hash

from .. import keys
from ..db import BaseModel
from ..auditlog import AUDIT_DETAIL, AUDIT_TEXT, AuditLog  # noqa: F401 (the staff's records, kept here by name)
from ..models import JSONText, utcnow

# The account's own private key is locked under a key derived from its password; signing in opens it,
# and with it the office's private key, which an account holding it sealed to this account's public key.
# Spent on an unknown username or a disabled account too, so that every refusal takes as long.
_DUMMY_KDF = keys.kdf_params(8)


class Staff(BaseModel):
    """An account of one office, with the role `petugas` (staff) or `admin`."""

    office_code = pw.CharField()
    username = pw.CharField()
    role = pw.CharField(default="petugas")
    password_hash = pw.CharField(default="")  # before keys (schema 5): scrypt, cleared at the next sign-in
    public_key = pw.CharField(default="")
    secret_box = pw.TextField(default="")  # the account's private key, locked under its password
    kdf = JSONText(null=True)  # how the password becomes the key that opens secret_box (Argon2id)
    office_grant = pw.TextField(null=True)  # the office's private key, sealed to public_key; None: not granted yet
    totp_box = pw.TextField(null=True)  # the second factor: {"secret", "codes"} locked under the account's key
    active = pw.BooleanField(default=True)
    last_login = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("office_code", "username"), True),)

    @property
    def is_admin(self):
        """Whether this account manages the office's accounts and reads the audit log."""
        return self.role == "admin"

    def set_password(self, password, memory_mb):
        """Give the account a new key pair locked under `password`; returns its private key. Any grant of
        the office key is gone with the old pair: whoever sets the password grants it again."""
        private, self.public_key = keys.new_key_pair()
        self.rewrap(private, password, memory_mb)
        self.password_hash, self.office_grant, self.totp_box = "", None, None  # a new key: enrol again
        return private

    def rewrap(self, staff_key, password, memory_mb):
        """Lock the account's private key `staff_key` under a new password (the same key pair)."""
        self.kdf = keys.kdf_params(memory_mb)
        self.secret_box = keys.lock(keys.derive(password, self.kdf), staff_key)

    def open_key(self, password):
        """The account's private key if `password` is right, else None. An account from before keys
        answers b"" for its right password (its scrypt hash), to be given a key pair by the caller."""
        if not self.secret_box:
            return b"" if self.password_hash and check_password_hash(self.password_hash, password) else None
        try:
            return keys.unlock(keys.derive(password, self.kdf), self.secret_box)
        except keys.Locked:
            return None

    def office_key(self, staff_key):
        """The office's private key granted to this account, or None (not granted yet, or not ours)."""
        if not self.office_grant or not staff_key:
            return None
        try:
            return keys.open_sealed(staff_key, self.office_grant)
        except keys.Locked:
            return None

    def give_office_key(self, office_key):
        """Grant the office's private key to this account (sealed to its public key)."""
        self.office_grant = keys.seal(self.public_key, office_key)

    @classmethod
    def find(cls, office_code, username):
        """The account `username` of the office, or None."""
        return cls.get_or_none((cls.office_code == office_code) & (cls.username == username))

    @classmethod
    def of_office(cls, office_code):
        """The office's accounts, by name."""
        return cls.select().where(cls.office_code == office_code).order_by(cls.username)

    @classmethod
    def waiting_for_a_grant(cls, office_code):
        """Active accounts of the office with a key pair and no grant of the office key yet."""
        return cls.of_office(office_code).where(cls.public_key != "", cls.office_grant.is_null(), cls.active == True)  # noqa: E712


def spend_like_a_sign_in(password):
    """Take the time a sign-in takes, for an unknown username or a disabled account."""
    keys.derive(password, _DUMMY_KDF)


MODELS = [Staff, AuditLog]
