"""Transfers between offices through the hub (kiosk.transfers): where a report went or came from, the
transfers each side keeps, and at the hub the offices' public keys that transferred reports are sealed to."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('report', 'transfer_office', CharField(default='')),
                     migrator.add_column('report', 'transferred_from', CharField(default='')))

    class Transfer(Model):
        report = UUIDField(primary_key=True)
        from_office = CharField()
        to_office = CharField()
        tracking_code = CharField()
        receipt_no = CharField()
        state = CharField()
        held_at = DateTimeField(null=True)
        sealed_at = DateTimeField(null=True)
        stored_at = DateTimeField(null=True)
        done_at = DateTimeField(null=True)
        key_receiver = TextField(default='')
        addition_keys = TextField(null=True)
        new_report = CharField(default='')
        new_receipt_no = CharField(default='')
        contact = TextField(null=True)
        class Meta:
            database = db
            table_name = 'transfer'
            indexes = ((('to_office', 'state'), False), (('from_office', 'state'), False),
                       (('tracking_code',), False))

    class OfficeSealKey(Model):
        office_code = CharField(primary_key=True)
        public_key = CharField()
        contact = TextField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'office_seal_key'
    db.create_tables([Transfer, OfficeSealKey])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('transfer'), migrator.drop_table('office_seal_key'),
                     migrator.drop_column('report', 'transfer_office'),
                     migrator.drop_column('report', 'transferred_from'))
