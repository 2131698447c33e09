"""The phone's one-time upload links and the files waiting on them for the kiosk (kiosk.lapor.phone)."""
from peewee import *


def up(migrator, db):
    class PhoneLink(Model):
        token_hash = CharField(unique=True)
        draft_id = CharField(index=True)
        expires_at = DateTimeField(index=True)
        room = IntegerField(default=0)
        received = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'phone_link'

    class PhoneUpload(Model):
        link = ForeignKeyField(PhoneLink, backref='uploads', on_delete='CASCADE')
        sealed = TextField()
        files = TextField(default='[]')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'phone_upload'
    db.create_tables([PhoneLink, PhoneUpload])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('phone_upload'))
    migrator.migrate(migrator.drop_table('phone_link'))
