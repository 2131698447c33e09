"""The query planner's statistics, kept fresh: without them SQLite guesses that an index on the office code
is as good as one on (office, date), reads every report of the office and sorts them. `ANALYZE` with an
analysis limit samples each index instead of reading it whole (milliseconds at a million reports), so it
runs on every start and, with `PRAGMA optimize`, in `kiosk nightly`. PostgreSQL keeps its own (autovacuum)."""
import peewee

ANALYSIS_LIMIT = 1000  # rows sampled per index (sqlite.org/lang_analyze.html#approximate_analyze)


def refresh(db):
    """Sample every table's indexes for the planner of the database `db` (a peewee proxy; SQLite only);
    returns whether it ran."""
    if not isinstance(db.obj, peewee.SqliteDatabase):
        return False
    with db.connection_context():
        db.execute_sql(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        db.execute_sql("ANALYZE")
        db.execute_sql("PRAGMA optimize")
    return True
