"""Two-factor sign-in: each account's TOTP secret and recovery codes, locked under the account's own key;
each office's settings, the first of which says whether the second factor is required."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('staff', 'totp_box', TextField(null=True)))

    class OfficeProfile(Model):
        office_code = CharField(primary_key=True)
        require_totp = BooleanField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'office_profile'
    db.create_tables([OfficeProfile])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('office_profile'))
    migrator.migrate(migrator.drop_column('staff', 'totp_box'))
