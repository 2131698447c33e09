"""Keys: each office's key pair (its private key locked under the recovery key), and each staff account's
own key pair locked under its password, with its grant of the office key. The sign-in lockout moves to the
server's memory (per account and address), so its two columns go. Accounts keep their scrypt hash until
their next sign-in gives them a key pair."""
from peewee import *


def up(migrator, db):
    class Keyring(Model):
        office_code = CharField(primary_key=True)
        public_key = CharField()
        recovery_box = TextField()
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'keyring'
    db.create_tables([Keyring])
    migrator.migrate(
        migrator.add_column('staff', 'public_key', CharField(default='')),
        migrator.add_column('staff', 'secret_box', TextField(default='')),
        migrator.add_column('staff', 'kdf', TextField(null=True)),
        migrator.add_column('staff', 'office_grant', TextField(null=True)),
        migrator.drop_column('staff', 'failed_logins'),
        migrator.drop_column('staff', 'locked_until'),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.add_column('staff', 'locked_until', DateTimeField(null=True)),
        migrator.add_column('staff', 'failed_logins', IntegerField(default=0)),
        migrator.drop_column('staff', 'office_grant'),
        migrator.drop_column('staff', 'kdf'),
        migrator.drop_column('staff', 'secret_box'),
        migrator.drop_column('staff', 'public_key'),
    )
    migrator.migrate(migrator.drop_table('keyring'))
