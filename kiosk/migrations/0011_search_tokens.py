"""Blind indexes (kiosk.search): keyed hashes of a report's sealed NIK, phone and name words, so that staff
find a walk-in by them without the database holding any readable. They stay where they are made."""
from peewee import *


def up(migrator, db):
    class Report(Model):
        id = UUIDField(primary_key=True)
        class Meta:
            database = db
            table_name = 'report'

    class SearchToken(Model):
        report = ForeignKeyField(Report, on_delete='CASCADE')
        token = CharField(index=True)
        class Meta:
            database = db
            table_name = 'search_token'
    db.create_tables([SearchToken])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('search_token'))
