"""The office's contact details, shown to reporters (kiosk.office)."""
from peewee import *


COLUMNS = {
    'address': TextField(default=''), 'phone': CharField(default=''), 'whatsapp': CharField(default=''),
    'email': CharField(default=''), 'hours': TextField(default=''), 'all_day_from': DateField(null=True),
    'all_day_to': DateField(null=True), 'evidence_desk': TextField(default=''),
    'placeholder': BooleanField(default=False),
}


def up(migrator, db):
    migrator.migrate(*[migrator.add_column('office_profile', name, field) for name, field in COLUMNS.items()])


def down(migrator, db):
    migrator.migrate(*[migrator.drop_column('office_profile', name) for name in COLUMNS])
