"""SMS through the office's GSM modem (kiosk.sms): the messages received and what was made of them, the SMS
the office queued, and the numbers staff blocked. Office-only tables: none travels to the hub."""
from peewee import *


def uuid_key(db):
    """The stub's key, which the foreign keys below take their type from: UUID as the table has it on
    PostgreSQL; on SQLite the integer the first version of this migration gave them (SQLite does not
    mind, and a database already made keeps its schema)."""
    return AutoField() if isinstance(db, SqliteDatabase) else UUIDField(primary_key=True)


def up(migrator, db):
    class Report(Model):
        id = uuid_key(db)
        class Meta:
            database = db
            table_name = 'report'

    class SmsMessage(Model):
        file_key = CharField(unique=True)
        received_at = DateTimeField(index=True)
        number_hash = CharField(index=True)
        number = TextField(default='')
        number_masked = CharField(default='')
        text = TextField(default='')
        language = CharField(default='id')
        kind = CharField()
        state = CharField(default='done')
        report = ForeignKeyField(Report, null=True, on_delete='SET NULL', index=True)
        handled_by = CharField(default='')
        handled_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'sms_message'

    class SmsSent(Model):
        at = DateTimeField(index=True)
        number_hash = CharField(index=True)
        purpose = CharField()
        report = ForeignKeyField(Report, null=True, on_delete='SET NULL', index=True)
        text = TextField(default='')
        actor = CharField(default='')
        class Meta:
            database = db
            table_name = 'sms_sent'

    class SmsBlock(Model):
        number_hash = CharField(unique=True)
        number_masked = CharField(default='')
        by = CharField(default='')
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'sms_block'

    db.create_tables([SmsMessage, SmsSent, SmsBlock])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS sms_block')
    db.execute_sql('DROP TABLE IF EXISTS sms_sent')
    db.execute_sql('DROP TABLE IF EXISTS sms_message')
