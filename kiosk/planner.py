"""The query planner's statistics, kept fresh: without them SQLite guesses that an index on the office code
is as good as one on (office, date), reads every report of the office and sorts them. `ANALYZE` with an
analysis limit samples each index instead of reading it whole (milliseconds at a million reports), so it
runs on every start and, with `PRAGMA optimize`, in `kiosk nightly`. PostgreSQL keeps its own (autovacuum)."""
import peewee

from .db import db

ANALYSIS_LIMIT = 1000  # rows sampled per index (sqlite.org/lang_analyze.html#approximate_analyze)


def is_sqlite():
    """Whether the bound database is SQLite."""
    return isinstance(db.obj, peewee.SqliteDatabase)


def refresh():
    """Sample every table's indexes for the planner (SQLite only); returns whether it ran."""
    if not is_sqlite():
        return False
    with db.connection_context():
        db.execute_sql(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        db.execute_sql("ANALYZE")
        db.execute_sql("PRAGMA optimize")
    return True
