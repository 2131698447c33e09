"""The office's own wording of each decision's public note (kiosk.staff.notes)."""
from peewee import *


def up(migrator, db):
    class NoteTemplate(Model):
        office_code = CharField()
        status = CharField()
        text = TextField()
        updated_at = DateTimeField()
        updated_by = CharField(default='')
        class Meta:
            database = db
            table_name = 'note_template'
            primary_key = CompositeKey('office_code', 'status')
    db.create_tables([NoteTemplate])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('note_template'))
