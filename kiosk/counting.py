"""The number of reports an office holds, kept by SQLite itself: two triggers move the counter row 'reports'
as reports are stored or erased, so /healthz reads one row instead of counting a whole index (160 ms at a
million reports). A migration that rebuilds the report table (peewee's SQLite migrator copies it to change
a column) drops its triggers, so every start checks they are there and, when they are not, makes them again
and counts once, in one transaction."""
import peewee

TRIGGERS = {
    "report_counted": "AFTER INSERT ON report BEGIN UPDATE counter SET value = value + 1 WHERE name = 'reports'; END",
    "report_uncounted": "AFTER DELETE ON report BEGIN UPDATE counter SET value = value - 1 WHERE name = 'reports'; END",
}


def keep(db):
    """Make the counting triggers and count the reports if a trigger is missing (SQLite only); returns
    whether it had to."""
    if not isinstance(db.obj, peewee.SqliteDatabase):
        return False
    with db.connection_context():
        present = {name for (name,) in db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'report'")}
        if set(TRIGGERS) <= present:
            return False
        with db.atomic("IMMEDIATE"):
            for name, body in TRIGGERS.items():
                db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
                db.execute_sql(f"CREATE TRIGGER {name} {body}")
            db.execute_sql("DELETE FROM counter WHERE name = 'reports'")
            db.execute_sql("INSERT INTO counter (name, value) SELECT 'reports', count(*) FROM report")
    return True
