"""The office's own settings, kept by its admins: whether signing in needs a second factor (required by
default at the hub, which holds every office's reports)."""
import peewee as pw
from flask import current_app

from .db import BaseModel
from .models import utcnow


class OfficeProfile(BaseModel):
    """One office's settings (a row is made when an admin first changes one)."""

    office_code = pw.CharField(primary_key=True)
    require_totp = pw.BooleanField(null=True)  # None: the default for the role
    updated_at = pw.DateTimeField(default=utcnow)

    @classmethod
    def of(cls, office_code):
        """The office's settings (unsaved defaults when it has none yet)."""
        return cls.get_or_none(cls.office_code == office_code) or cls(office_code=office_code)


def totp_required(office_code):
    """Whether the office's staff must sign in with a second factor."""
    chosen = OfficeProfile.of(office_code).require_totp
    return chosen if chosen is not None else current_app.config["ROLE"] == "hub"


MODELS = [OfficeProfile]
