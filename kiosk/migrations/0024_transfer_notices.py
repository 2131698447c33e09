"""The reporter's messages follow a transferred report (kiosk.notify.handover): the address travelling with it,
sealed, and at the receiving office what waits for an account with the office key to take it on."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('report', 'notices', TextField(default='')))

    class Report(Model):
        id = UUIDField(primary_key=True)
        class Meta:
            database = db
            table_name = 'report'

    class Handover(Model):
        report = ForeignKeyField(Report, unique=True, on_delete='CASCADE')
        sealed = TextField()
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'notice_handover'
    db.create_tables([Handover])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('notice_handover'), migrator.drop_column('report', 'notices'))
