"""Indexes for the queries an office runs every day, chosen from their query plans (docs/architecture.md,
"Queries at scale"): the reports of an office by the time they came, then id, the keyset's order (the list of
a day, the recap, the CSV, the hub's counters), and by status within an office. The single-column index on the office code matched
every row of an office and led SQLite to sort them all in a temporary B-tree. On SQLite, triggers keep the
number of reports in the counter row 'reports' (counting them read a whole index: 160 ms at a million)."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_index('report', ('office_code', 'submitted_at', 'id'), False),
        migrator.add_index('report', ('office_code', 'status', 'submitted_at'), False),
    )
    if isinstance(db, SqliteDatabase):  # an office: /healthz's count of reports kept by SQLite itself
        db.execute_sql("DELETE FROM counter WHERE name = 'reports'")
        db.execute_sql("INSERT INTO counter (name, value) SELECT 'reports', count(*) FROM report")
        db.execute_sql("CREATE TRIGGER report_counted AFTER INSERT ON report BEGIN "
                       "UPDATE counter SET value = value + 1 WHERE name = 'reports'; END")
        db.execute_sql("CREATE TRIGGER report_uncounted AFTER DELETE ON report BEGIN "
                       "UPDATE counter SET value = value - 1 WHERE name = 'reports'; END")


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        db.execute_sql("DROP TRIGGER IF EXISTS report_counted")
        db.execute_sql("DROP TRIGGER IF EXISTS report_uncounted")
        db.execute_sql("DELETE FROM counter WHERE name = 'reports'")
    migrator.migrate(
        migrator.drop_index('report', 'report_office_code_submitted_at_id'),
        migrator.drop_index('report', 'report_office_code_status_submitted_at'),
    )
