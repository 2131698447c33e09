"""Replicated rows on the wire: each as a JSON object keyed by field name (dates and times in ISO
8601, UUIDs as hex, a child's `report` as its report's UUID), grouped by table with reports first so
that a batch never carries a child before its report."""
import datetime as dt
import functools
import json
import uuid
from dataclasses import dataclass, field

import peewee as pw

from ..db import db
from ..models import Addition, Evidence, JSONText, Report, StatusEvent, Witness
from .signing import Refused

# Every replicated table by its name on the wire, in the order the hub applies them: reports first (children
# refer to them), an addition before its files. A new replicated model (a child of Report with a `report`
# field) is added here, nothing else.
TABLES = {"report": Report, "witness": Witness, "addition": Addition, "evidence": Evidence,
          "status_event": StatusEvent}
CHILD_TABLES = tuple(name for name in TABLES if name != "report")


def to_wire(value):
    """A column value as JSON can carry it."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


# Columns that stay at the office: a report's submit key is its draft's id, a secret of the citizen's session.
# Whether its search tokens are made: the hub makes its own. An evidence file as it was sent, with location
# and camera data: the hub receives only the copy without them.
LOCAL = {"submit_key", "indexed", "original"}


def _stored_moment(value):
    """A time as SQLite holds it (peewee writes `str(datetime)`: 'YYYY-MM-DD HH:MM:SS[.ffffff]') in ISO 8601,
    as `to_wire` gives it; PostgreSQL's datetime objects go through `to_wire`."""
    if isinstance(value, str) and len(value) in (19, 26) and value[10] == " ":
        return value[:10] + "T" + value[11:]
    return to_wire(value)


def _wire_value(model_field):
    """The function turning a column's value as the database driver returns it into the wire's."""
    if isinstance(model_field, JSONText):
        return model_field.python_value
    if isinstance(model_field, pw.BooleanField):  # SQLite's 0 and 1
        return lambda value: value if value is None else bool(value)
    if isinstance(model_field, pw.DateTimeField):
        return _stored_moment
    if isinstance(model_field, (pw.CharField, pw.TextField, pw.IntegerField)):
        return None  # as the driver gives it
    return to_wire  # UUIDs (hex text in SQLite, UUID objects from PostgreSQL), dates


def wire_rows(query):
    """The rows of `query` (a select of a whole replicated model) as they go on the wire, without the columns
    that stay at the office, read straight from the driver: turning each value into its Python type (a UUID,
    a datetime) only to turn it back into text cost more than the query (bench/sync.py, profiled)."""
    cursor = db.execute(query)
    columns = query.model._meta.columns  # column name -> field ("report_id" -> report)
    fields = [(index, field.name, _wire_value(field))
              for index, field in enumerate(columns[column[0]] for column in cursor.description)
              if field.name not in LOCAL]
    return [{name: convert(raw[index]) if convert else raw[index] for index, name, convert in fields}
            for raw in cursor]


@dataclass
class Batch:
    """Rows changed after `after`, by table, as they go on the wire (`wire_rows`). `upto` is the highest change
    number of the rows taken in order, `more` whether rows remain after it. `rows` may also hold reports beyond
    `upto`: the current version of a report whose child is in the batch, so the child never arrives before its
    report."""

    after: int
    upto: int
    more: bool
    rows: dict = field(default_factory=dict)

    @property
    def count(self):
        """How many rows the batch carries."""
        return sum(len(rows) for rows in self.rows.values())

    def payload(self, final):
        """The JSON body of the batch request."""
        return {"after": self.after, "upto": self.upto, "final": final,
                "rows": {name: rows for name, rows in self.rows.items() if rows}}


def changed(model, after, office=None, columns=()):
    """The rows of `model` (its `columns`, or all) with a change number above `after` (of the office
    `office` only, when given: the hub holds every office's rows)."""
    query = model.select(*(columns or [model])).where(model.change_seq > after)
    if office is not None:
        query = (query.where(model.office_code == office) if model is Report
                 else query.join(Report).where(Report.office_code == office))
    return query


def cutoff(after, limit, office=None):
    """(the change number of the `limit`th row changed after `after` across the tables, whether more
    follow): read as bare numbers, so that no row is fetched only to be left for the next batch."""
    numbers = []
    for model in TABLES.values():
        query = changed(model, after, office, [model.change_seq]).order_by(model.change_seq).limit(limit + 1)
        numbers.extend(seq for (seq,) in db.execute(query))  # bare integers: nothing for peewee to convert
    numbers.sort()
    if len(numbers) > limit:
        return numbers[limit - 1], True
    return (numbers[-1] if numbers else after), False


def pending(after, limit, office=None, max_bytes=None):
    """The next batch: up to `limit` rows of all the tables with a change number above `after` (of `office`
    only, when given), in change order, and no more than `max_bytes` of JSON (always at least one row). Read
    it inside one transaction, so the tables are seen at the same moment."""
    last, more = cutoff(after, limit, office)
    taken = []
    for name, model in TABLES.items():
        query = changed(model, after, office).where(model.change_seq <= last)
        taken.extend((row["change_seq"], name, row) for row in wire_rows(query))
    taken.sort(key=lambda item: item[0])
    # Measured row by row only when the whole is too large: one call for a batch of 15,000 rows took 120 ms,
    # one a row 180 ms.
    if max_bytes is not None and len(json.dumps([row for _, _, row in taken], ensure_ascii=False)) > max_bytes:
        size = 0
        for index, (_, _, row) in enumerate(taken):
            size += len(json.dumps(row, ensure_ascii=False)) + 1
            if size > max_bytes and index:
                taken, more = taken[:index], True
                break
    rows = {name: [] for name in TABLES}
    for _, name, row in taken:
        rows[name].append(row)
    in_batch = {row["id"] for row in rows["report"]}
    parents = {row["report"] for name in CHILD_TABLES for row in rows[name]} - in_batch
    if parents:  # a report updated after its children were made: send its current version along
        rows["report"].extend(wire_rows(Report.select().where(
            Report.id.in_([uuid.UUID(hex=key) for key in parents]), Report.change_seq > after)))
    return Batch(after=after, upto=taken[-1][0] if taken else after, more=more, rows=rows)


def _exactly(kind):
    """The value itself when it is of type `kind` exactly (no bool for an int), else TypeError."""
    def check(value):
        if type(value) is not kind:
            raise TypeError(kind.__name__)
        return value
    return check


def _decoder(model_field):
    """A function turning a wire value into the column's Python value, raising ValueError, TypeError or
    AttributeError. The parsers are called directly (each refuses what is not a string): these run for every
    value of every row a hub receives."""
    if isinstance(model_field, (pw.UUIDField, pw.ForeignKeyField)):
        return uuid.UUID
    if isinstance(model_field, pw.DateTimeField):
        return dt.datetime.fromisoformat
    if isinstance(model_field, pw.DateField):
        return dt.date.fromisoformat
    if isinstance(model_field, pw.BooleanField):
        return _exactly(bool)
    if isinstance(model_field, pw.IntegerField):
        return _exactly(int)
    if isinstance(model_field, JSONText):
        return lambda value: value
    return _exactly(str)


@functools.cache
def _decoders(name):
    """{field name: (decoder, nullable)} of table `name`, made once."""
    return {key: (_decoder(model_field), model_field.null) for key, model_field in TABLES[name]._meta.fields.items()}


def decode(name, data):
    """The fields of one wire row of table `name`, checked against the hub's model; Refused(422) for a
    field the hub does not know (its schema is older than the office's), Refused(400) for a bad value."""
    decoders = _decoders(name)
    if not isinstance(data, dict):
        raise Refused(400, f"{name}: each row must be an object")
    unknown = data.keys() - decoders.keys()
    if unknown:
        raise Refused(422, f"unknown field {name}.{sorted(unknown)[0]}: upgrade the hub to the office's version")
    values = {}
    try:
        for key, value in data.items():
            convert, nullable = decoders[key]
            values[key] = None if value is None and nullable else convert(value)
    except (TypeError, ValueError, AttributeError):
        raise Refused(400, f"bad value for {name}.{key}")
    if "id" not in values or "change_seq" not in values:
        raise Refused(400, f"{name}: a row without id or change_seq")
    if name in CHILD_TABLES and "report" not in values:
        raise Refused(400, f"{name}: a row without its report")
    return values
