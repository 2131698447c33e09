"""Retention: the day a report's personal data was destroyed at the end of its retention period."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('report', 'erased_on', DateField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('report', 'erased_on'))
