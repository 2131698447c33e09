"""The office's own settings, kept by its admins: whether signing in needs a second factor (required by
default at the hub, which holds every office's reports), and how a reporter reaches the office (address,
phone, WhatsApp, email, opening hours with the days it is open around the clock, and where physical
evidence is handed in), shown on the landing page, the receipt, the status page and every message."""
import peewee as pw
from flask import current_app
from lokal import parse_phone

from .db import BaseModel, writing
from .deadlines import today
from .models import utcnow

CONTACT_FIELDS = ("address", "phone", "whatsapp", "email", "hours", "all_day_from", "all_day_to",
                  "evidence_desk")


class OfficeProfile(BaseModel):
    """One office's settings (a row is made when an admin first changes one)."""

    office_code = pw.CharField(primary_key=True)
    require_totp = pw.BooleanField(null=True)  # None: the default for the role
    address = pw.TextField(default="")
    phone = pw.CharField(default="")
    whatsapp = pw.CharField(default="")
    email = pw.CharField(default="")
    hours = pw.TextField(default="")  # e.g. 'Senin-Jumat 08.00-16.00 WIB'
    all_day_from = pw.DateField(null=True)  # open around the clock: the quiet period to voting day
    all_day_to = pw.DateField(null=True)
    evidence_desk = pw.TextField(default="")  # where physical evidence is handed in
    placeholder = pw.BooleanField(default=False)  # the demo's made-up details, marked as such
    updated_at = pw.DateTimeField(default=utcnow)

    @classmethod
    def of(cls, office_code):
        """The office's settings (unsaved defaults when it has none yet)."""
        return cls.get_or_none(cls.office_code == office_code) or cls(office_code=office_code)

    def save_new_or_changed(self):
        """Save, inserting the row when the office had none."""
        exists = OfficeProfile.select().where(OfficeProfile.office_code == self.office_code).exists()
        self.updated_at = utcnow()
        return self.save(force_insert=not exists)

    @property
    def has_contact(self):
        """Whether the office gave any way to reach it."""
        return any((self.address, self.phone, self.whatsapp, self.email, self.hours))

    @property
    def whatsapp_link(self):
        """The wa.me address of the office's WhatsApp number (international digits), or ''."""
        number = parse_phone(self.whatsapp) if self.whatsapp else None
        return f"https://wa.me/{number.whatsapp}" if number and number.valid and number.whatsapp else ""

    @property
    def phone_link(self):
        """A tel: address for the office's phone, or ''."""
        number = parse_phone(self.phone) if self.phone else None
        return f"tel:{number.e164}" if number and number.valid else ""

    def open_all_day(self, on=None):
        """Whether the office is open around the clock on `on` (today)."""
        on = on or today()
        return bool(self.all_day_from and self.all_day_to and self.all_day_from <= on <= self.all_day_to)


def totp_required(office_code):
    """Whether the office's staff must sign in with a second factor."""
    chosen = OfficeProfile.of(office_code).require_totp
    return chosen if chosen is not None else current_app.config["ROLE"] == "hub"


def set_contact(office_code, values, placeholder=False):
    """Keep the office's contact details (`values`: CONTACT_FIELDS, already checked by the form); returns
    the names of the fields that changed. Call inside a write transaction or not: it takes one."""
    with writing():
        profile = OfficeProfile.of(office_code)
        changed = [name for name in CONTACT_FIELDS if getattr(profile, name) != values.get(name)]
        for name in CONTACT_FIELDS:
            setattr(profile, name, values.get(name))
        profile.placeholder = placeholder
        profile.save_new_or_changed()
    return changed


def contact(office_code):
    """The office's profile for showing its contact details (unsaved and empty when it has none)."""
    return OfficeProfile.of(office_code)


MODELS = [OfficeProfile]
