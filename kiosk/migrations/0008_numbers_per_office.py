"""Receipt, registration and tracking numbers are unique within an office, not across the province: at the
hub, one office's rows (a hostile office's among them) can never take another office's number and block its
replication. A report is still found by its tracking code alone (an index of its own)."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.drop_index('report', 'report_receipt_no'),
        migrator.drop_index('report', 'report_tracking_code'),
        migrator.drop_index('report', 'report_registration_no'),
        migrator.add_index('report', ('office_code', 'receipt_no'), True),
        migrator.add_index('report', ('office_code', 'tracking_code'), True),
        migrator.add_index('report', ('office_code', 'registration_no'), True),
        migrator.add_index('report', ('tracking_code',), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('report', 'report_tracking_code'),
        migrator.drop_index('report', 'report_office_code_registration_no'),
        migrator.drop_index('report', 'report_office_code_tracking_code'),
        migrator.drop_index('report', 'report_office_code_receipt_no'),
        migrator.add_index('report', ('registration_no',), True),
        migrator.add_index('report', ('tracking_code',), True),
        migrator.add_index('report', ('receipt_no',), True),
    )
