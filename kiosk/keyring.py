"""The office's own key pair (at the hub, the hub's). Personal data is sealed to its public key on intake,
by anyone, with nothing secret; its private key is stored only wrapped: once per staff account (kiosk.staff
.models) and once under the recovery key printed at set-up (`kiosk init-keys`), for the office safe."""
import peewee as pw

from . import keys
from .db import BaseModel
from .models import utcnow


class NoKeys(Exception):
    """The office has no key pair yet: `kiosk init-keys` sets one up."""


class Keyring(BaseModel):
    """An office's public key, and its private key locked under the recovery key."""

    office_code = pw.CharField(primary_key=True)
    public_key = pw.CharField()
    recovery_box = pw.TextField()
    created_at = pw.DateTimeField(default=utcnow)

    @classmethod
    def public_key_of(cls, office_code):
        """The office's public key (base64 text); NoKeys before `kiosk init-keys`."""
        row = cls.get_or_none(cls.office_code == office_code)
        if row is None:
            raise NoKeys(office_code)
        return row.public_key

    @classmethod
    def exists(cls, office_code):
        """Whether the office has its key pair."""
        return cls.select().where(cls.office_code == office_code).exists()

    @classmethod
    def create_for(cls, office_code):
        """A new key pair for the office; returns (private key, printed recovery key). Call inside a write
        transaction; the recovery key is shown once and never stored."""
        private, public = keys.new_key_pair()
        printed = keys.new_recovery_key()
        cls.create(office_code=office_code, public_key=public,
                   recovery_box=keys.lock(keys.recovery_secret(printed), private))
        return private, printed

    @classmethod
    def recover(cls, office_code, printed):
        """The office's private key, unlocked with the printed recovery key; Locked when it is not the one."""
        row = cls.get_or_none(cls.office_code == office_code)
        if row is None:
            raise NoKeys(office_code)
        return keys.unlock(keys.recovery_secret(printed), row.recovery_box)


MODELS = [Keyring]
