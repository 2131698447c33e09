"""The hub's counters (kiosk.tallies): reports per office, day (Asia/Jakarta), and status, category or way
in, and their totals per office. A hub (one with registered offices) counts the reports it already holds; an office's table stays empty."""
import collections
import datetime as dt

from peewee import *

DIMENSIONS = ('status', 'category', 'channel')
JAKARTA = dt.timedelta(hours=7)  # Asia/Jakarta: UTC+7 all year


def up(migrator, db):
    class DayTally(Model):
        office_code = CharField()
        day = DateField()
        dimension = CharField()
        value = CharField()
        n = IntegerField(default=0)

        class Meta:
            database = db
            table_name = 'day_tally'
            primary_key = CompositeKey('office_code', 'day', 'dimension', 'value')
            indexes = ((('day', 'dimension'), False),)

    class OfficeTally(Model):
        office_code = CharField()
        dimension = CharField()
        value = CharField()
        n = IntegerField(default=0)

        class Meta:
            database = db
            table_name = 'office_tally'
            primary_key = CompositeKey('office_code', 'dimension', 'value')
    db.create_tables([DayTally, OfficeTally])
    if not db.execute_sql('SELECT 1 FROM hub_office LIMIT 1').fetchone():
        return
    counted = collections.Counter()
    cursor = db.execute_sql('SELECT office_code, submitted_at, status, category, channel FROM report')
    for code, at, *values in cursor:
        at = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at))
        day = (at + JAKARTA).date()
        for dimension, value in zip(DIMENSIONS, values):
            counted[code, day, dimension, value] += 1
    rows = [{'office_code': code, 'day': day, 'dimension': dimension, 'value': value, 'n': n}
            for (code, day, dimension, value), n in counted.items()]
    totals = collections.Counter()
    for (code, day, dimension, value), n in counted.items():
        totals[code, dimension, value] += n
    for start in range(0, len(rows), 200):
        DayTally.insert_many(rows[start:start + 200]).execute()
    sums = [{'office_code': code, 'dimension': dimension, 'value': value, 'n': n}
            for (code, dimension, value), n in totals.items()]
    for start in range(0, len(sums), 200):
        OfficeTally.insert_many(sums[start:start + 200]).execute()


def down(migrator, db):
    migrator.migrate(migrator.drop_table('day_tally'), migrator.drop_table('office_tally'))
