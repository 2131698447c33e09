"""Reports remember the language they were filed in, so that staff reply in it.

Existing reports were all filed in Indonesian, the only language before this change."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('report', 'language', CharField(default='id')))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('report', 'language'))
