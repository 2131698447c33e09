"""Personal data sealed at rest (kiosk.sealing): each report gets its sealed fields and its key sealed to the
office (and the hub); witnesses and evidence get their sealed fields, evidence the name of its locked file;
drafts are locked under a key in the person's cookie (drafts in progress are discarded: they cannot be
locked without it). A database that holds no report yet loses the readable columns at once; one that holds
reports keeps them until `kiosk init-keys` seals what they hold and drops them (kiosk.legacy), since sealing
needs the office's key pair."""
from peewee import *

READABLE = {
    "report": ("terlapor_address", "terlapor_phone", "reporter_name", "reporter_nik", "reporter_birth_place",
               "reporter_birth_date", "reporter_sex", "reporter_occupation", "reporter_nationality",
               "reporter_address", "reporter_phone", "reporter_email"),
    "witness": ("name", "address", "phone"),
    "evidence": ("sha256", "filename"),
}


def drop_readable(migrator, db):
    """Drop the readable columns (and the index on evidence.sha256)."""
    migrator.migrate(migrator.drop_index("evidence", "evidence_sha256"))
    for table, columns in READABLE.items():
        migrator.migrate(*(migrator.drop_column(table, column) for column in columns))


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("report", "reporter_nik_masked", CharField(default="")),
        migrator.add_column("report", "identity_complete", BooleanField(default=False)),
        migrator.add_column("report", "personal", TextField(default="")),
        migrator.add_column("report", "key_office", TextField(default="")),
        migrator.add_column("report", "key_hub", TextField(default="")),
        migrator.add_column("report", "indexed", BooleanField(default=False)),
        migrator.add_column("witness", "personal", TextField(default="")),
        migrator.add_column("evidence", "blob", CharField(default="")),
        migrator.add_column("evidence", "personal", TextField(default="")),
    )
    migrator.migrate(migrator.add_index("evidence", ("blob",), False))
    db.execute_sql("DELETE FROM draft")
    migrator.migrate(
        migrator.drop_column("draft", "data"),
        migrator.add_column("draft", "sealed", TextField(default="")),
        migrator.add_column("draft", "files", TextField(default="[]")),
    )
    held = db.execute_sql("SELECT (SELECT count(*) FROM report) + (SELECT count(*) FROM witness) "
                          "+ (SELECT count(*) FROM evidence)").fetchone()[0]
    if not held:
        drop_readable(migrator, db)


def down(migrator, db):
    raise RuntimeError("sealed data cannot be unsealed by a migration: restore the backup made before sealing")
