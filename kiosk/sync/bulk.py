"""Many rows of one table upserted in one statement: the INSERT … ON CONFLICT DO UPDATE that peewee writes
for one row (for whichever database is bound: `?` and SQLite's dialect, or `%s` and PostgreSQL's), run by
the driver's `executemany` over every row. Building peewee's query for thousands of rows cost more than
SQLite took to store them (bench/sync.py, profiled: two thirds of the hub's time)."""
import functools

import peewee as pw
from peewee import EXCLUDED

from ..models import JSONText

# Columns whose decoded values (kiosk.sync.rows: checked str, int, bool) go to the driver unchanged.
PLAIN = (pw.CharField, pw.TextField, pw.IntegerField, pw.BooleanField)


@functools.cache
def _statement(model, database):
    """(SQL, fields) of the upsert of one row of `model` that replaces the held copy only when the row's
    change number is higher; `database` keys the cache (the SQL is in its dialect)."""
    fields = list(model._meta.sorted_fields)
    # ON CONFLICT DO UPDATE, never INSERT OR REPLACE: a replace would delete the report and, through
    # ON DELETE CASCADE, its witnesses, evidence and history.
    query = model.insert({field: None for field in fields}).on_conflict(
        conflict_target=[model.id], preserve=[field for field in fields if field.name != "id"],
        where=(EXCLUDED.change_seq > model.change_seq))
    sql, params = query.sql()
    assert len(params) == len(fields), "one parameter per column"
    return sql, fields


def _default(field):
    """What a column takes when the row leaves it out (a field an older office does not send)."""
    return field.default() if callable(field.default) else field.default


def upsert(model, rows, database):
    """Insert `rows` (dicts of Python values) of `model`, or replace older copies, in one `executemany`
    (logged once, as peewee logs a query); inside the caller's transaction."""
    if not rows:
        return
    sql, fields = _statement(model, database)
    names = [(field.name, _default(field)) for field in fields]
    params = [[row.get(name, default) for name, default in names] for row in rows]
    for index, field in enumerate(fields):
        if isinstance(field, JSONText) or not isinstance(field, PLAIN):  # the others are as the driver takes them
            convert = field.db_value
            for values in params:
                values[index] = convert(values[index])
    pw.logger.debug((sql, f"executemany: {len(params)} rows"))
    with pw.__exception_wrapper__:
        database.cursor().executemany(sql, params)


def among(field, values, database):
    """`field IN (values)` with the values bound as they are stored: one node for the whole list (peewee's
    own `in_` builds a node per value, which at thousands of ids cost more than the query)."""
    params = [field.db_value(value) for value in values]
    if not params:
        return pw.SQL("1 = 0")
    return field.in_(pw.SQL(f"({', '.join([database.param] * len(params))})", params))
