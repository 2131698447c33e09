"""Indexes for the queries an office runs every day, chosen from their query plans (docs/architecture.md,
"Queries at scale"): the reports of an office by the time they came, then id, the keyset's order (the list of
a day, the recap, the CSV, the hub's counters), and by status within an office. The single-column index on the office code matched
every row of an office and led SQLite to sort them all in a temporary B-tree. (The triggers that count the
reports for /healthz are kept by kiosk.counting on every start: a later table rebuild would drop them.)"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_index('report', ('office_code', 'submitted_at', 'id'), False),
        migrator.add_index('report', ('office_code', 'status', 'submitted_at'), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('report', 'report_office_code_submitted_at_id'),
        migrator.drop_index('report', 'report_office_code_status_submitted_at'),
    )
