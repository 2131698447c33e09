"""The hub keeps each office's public key, never what signs: offices registered before keep their token's
hash (the old HMAC key) only until they enrol their public key, once, on their next sync."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('hub_office', 'public_key', CharField(default='')))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('hub_office', 'public_key'))
