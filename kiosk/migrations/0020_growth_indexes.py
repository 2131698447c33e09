"""Indexes for the queries an office runs every day, chosen from their query plans (docs/architecture.md,
"Queries at scale"): the reports of an office by the time they came (the list of a day, the recap, the CSV,
the hub's counters) and by status within an office. The single-column index on the office code matched
every row of an office and led SQLite to sort them all in a temporary B-tree."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_index('report', ('office_code', 'submitted_at'), False),
        migrator.add_index('report', ('office_code', 'status', 'submitted_at'), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('report', 'report_office_code_submitted_at'),
        migrator.drop_index('report', 'report_office_code_status_submitted_at'),
    )
