"""Replicated rows on the wire: each as a JSON object keyed by field name (dates and times in ISO
8601, UUIDs as hex, a child's `report` as its report's UUID), grouped by table with reports first so
that a batch never carries a child before its report."""
import datetime as dt
import uuid
from dataclasses import dataclass, field

import peewee as pw

from ..models import Addition, Evidence, JSONText, Report, StatusEvent, Witness
from .signing import Refused

# In the order the hub applies them: a report before its children, an addition before its files.
TABLES = {"report": Report, "witness": Witness, "addition": Addition, "evidence": Evidence,
          "status_event": StatusEvent}
CHILD_TABLES = ("witness", "addition", "evidence", "status_event")


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


def encode(row):
    """A row (a dict from `.dicts()`) ready for JSON, without the columns that stay at the office."""
    return {name: to_wire(value) for name, value in row.items() if name not in LOCAL}


@dataclass
class Batch:
    """Rows changed after `after`, by table. `upto` is the highest change number of the rows taken in
    order, `more` whether rows remain after it. `rows` may also hold reports beyond `upto`: the current
    version of a report whose child is in the batch, so the child never arrives before its report."""

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
                "rows": {name: [encode(row) for row in rows] for name, rows in self.rows.items() if rows}}


def pending(after, limit):
    """The next batch: up to `limit` rows of every table with a change number above `after`, in
    change order. Read it inside one transaction, so the tables are seen at the same moment."""
    taken = []
    for name, model in TABLES.items():
        query = model.select().where(model.change_seq > after).order_by(model.change_seq).limit(limit + 1)
        taken.extend((row["change_seq"], name, row) for row in query.dicts())
    taken.sort(key=lambda item: item[0])
    more = len(taken) > limit
    taken = taken[:limit]
    rows = {name: [] for name in TABLES}
    for _, name, row in taken:
        rows[name].append(row)
    in_batch = {row["id"] for row in rows["report"]}
    parents = {row["report"] for name in CHILD_TABLES for row in rows[name]} - in_batch
    if parents:  # a report updated after its children were made: send its current version along
        rows["report"].extend(Report.select().where(Report.id.in_(list(parents)), Report.change_seq > after).dicts())
    return Batch(after=after, upto=taken[-1][0] if taken else after, more=more, rows=rows)


def _decoder(model_field):
    """A function turning a wire value into the column's Python value, raising ValueError/TypeError."""
    def typed(kind):
        def check(value):
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise TypeError(kind.__name__)
            return value
        return check

    if isinstance(model_field, (pw.UUIDField, pw.ForeignKeyField)):
        return lambda value: uuid.UUID(hex=typed(str)(value))
    if isinstance(model_field, pw.DateTimeField):
        return lambda value: dt.datetime.fromisoformat(typed(str)(value))
    if isinstance(model_field, pw.DateField):
        return lambda value: dt.date.fromisoformat(typed(str)(value))
    if isinstance(model_field, pw.BooleanField):
        return typed(bool)
    if isinstance(model_field, pw.IntegerField):
        return typed(int)
    if isinstance(model_field, JSONText):
        return lambda value: value
    return typed(str)


def decode(name, data):
    """The fields of one wire row of table `name`, checked against the hub's model; Refused(422) for a
    field the hub does not know (its schema is older than the office's), Refused(400) for a bad value."""
    model = TABLES[name]
    if not isinstance(data, dict):
        raise Refused(400, f"{name}: each row must be an object")
    unknown = set(data) - set(model._meta.fields)
    if unknown:
        raise Refused(422, f"unknown field {name}.{sorted(unknown)[0]}: upgrade the hub to the office's version")
    values = {}
    for key, value in data.items():
        model_field = model._meta.fields[key]
        try:
            values[key] = None if value is None and model_field.null else _decoder(model_field)(value)
        except (TypeError, ValueError, AttributeError):
            raise Refused(400, f"bad value for {name}.{key}")
    if "id" not in values or "change_seq" not in values:
        raise Refused(400, f"{name}: a row without id or change_seq")
    if name in CHILD_TABLES and "report" not in values:
        raise Refused(400, f"{name}: a row without its report")
    return values
