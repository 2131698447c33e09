"""Evidence kept twice when it carried location or camera data: `blob` without them (replicated, downloaded),
`original` as it was sent (the office's only, for an admin)."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('evidence', 'original', CharField(default='')))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('evidence', 'original'))
