"""The reporter's side of a case: what was added to a report after filing (kiosk.completion), and the
messages that tell the reporter of each change (kiosk.notify: who asked for them, and the outbox)."""
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

    class Addition(Model):
        id = UUIDField(primary_key=True)
        change_seq = IntegerField(index=True, default=0)
        report = ForeignKeyField(Report, on_delete='CASCADE', index=True)
        kind = CharField()
        at = DateTimeField()
        actor = CharField(default='')
        receipt_no = CharField(default='')
        personal = TextField(default='')
        key_office = TextField(default='')
        key_hub = TextField(default='')
        class Meta:
            database = db
            table_name = 'addition'
    db.create_tables([Addition])
    migrator.migrate(
        migrator.add_column('report', 'completed_at', DateTimeField(null=True)),
        migrator.add_column('report', 'needs_review', BooleanField(default=False)),
        migrator.add_column('evidence', 'addition_id', ForeignKeyField(Addition, null=True, on_delete='CASCADE',
                                                                       field=Addition.id)),
    )

    class Subscription(Model):
        report = ForeignKeyField(Report, on_delete='CASCADE', unique=True)
        channel = CharField()
        address = TextField()
        address_masked = CharField()
        language = CharField(default='id')
        token_hash = CharField(unique=True)
        created_at = DateTimeField()
        stopped_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'subscription'

    class StatusEvent(Model):
        id = uuid_key(db)
        class Meta:
            database = db
            table_name = 'status_event'

    class Outbox(Model):
        subscription = ForeignKeyField(Subscription, on_delete='CASCADE', index=True)
        event = ForeignKeyField(StatusEvent, on_delete='CASCADE', unique=True)
        created_at = DateTimeField()
        next_attempt_at = DateTimeField(index=True)
        attempts = IntegerField(default=0)
        last_error = CharField(default='')
        last_attempt_at = DateTimeField(null=True)
        sent_at = DateTimeField(null=True)
        given_up_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'outbox'
    db.create_tables([Subscription, Outbox])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('outbox'), migrator.drop_table('subscription'))
    migrator.migrate(migrator.drop_column('evidence', 'addition_id'), migrator.drop_column('report', 'needs_review'),
                     migrator.drop_column('report', 'completed_at'))
    migrator.migrate(migrator.drop_table('addition'))
