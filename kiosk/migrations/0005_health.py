"""The office's health (the last backup's and sync's outcome) gets a table of its own; until now it
shared the sync package's key-value table with the sync watermark. Existing outcomes move over."""
from peewee import *


def up(migrator, db):
    class Health(Model):
        kind = CharField(primary_key=True)
        outcome = TextField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'health'
    db.create_tables([Health])
    db.execute_sql("INSERT INTO health (kind, outcome, updated_at) SELECT substr(key, 6), value, updated_at "
                   "FROM sync_state WHERE key IN ('last_backup', 'last_sync') AND value IS NOT NULL")
    db.execute_sql("DELETE FROM sync_state WHERE key IN ('last_backup', 'last_sync')")


def down(migrator, db):
    db.execute_sql("INSERT INTO sync_state (key, value, updated_at) SELECT 'last_' || kind, outcome, updated_at "
                   "FROM health")
    migrator.migrate(migrator.drop_table('health'))
