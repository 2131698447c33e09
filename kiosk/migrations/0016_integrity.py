"""Evidence that stays true: the files found damaged and not repaired yet (`damaged_file`); at the hub, each
office's last refused request and the files it reported it cannot send."""
from peewee import *


def up(migrator, db):
    class DamagedFile(Model):
        blob = CharField()
        store = CharField()
        found_at = DateTimeField()
        found_by = CharField()
        missing = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'damaged_file'
            primary_key = CompositeKey('blob', 'store')
    db.create_tables([DamagedFile])
    migrator.migrate(
        migrator.add_column('hub_office', 'refused_at', DateTimeField(null=True)),
        migrator.add_column('hub_office', 'refusal', TextField(null=True)),
        migrator.add_column('hub_office', 'damaged_files', TextField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('hub_office', 'refused_at'),
        migrator.drop_column('hub_office', 'refusal'),
        migrator.drop_column('hub_office', 'damaged_files'),
        migrator.drop_table('damaged_file'),
    )
