"""Elections and their rules (and the numbers of the notices staff print) (Pemilu, Pilkada); each report's election, its next legal deadline (the queue's
order, kept so that the queue is one indexed read) and the petugas it is assigned to."""
from peewee import *


def up(migrator, db):
    class Election(Model):
        id = CharField(primary_key=True)
        office_code = CharField(index=True)
        kind = CharField()
        level = CharField(default='')
        name = CharField()
        voting_day = DateField()
        quiet_start = DateField(null=True)
        quiet_end = DateField(null=True)
        rules = TextField(default='{}')
        open = BooleanField(default=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'election'
    class PaperNumber(Model):
        id = AutoField()
        office_code = CharField()
        paper = CharField()
        event_id = CharField()
        number = CharField()
        issued_on = DateField()

        class Meta:
            database = db
            table_name = 'paper_number'
            indexes = ((('office_code', 'paper', 'event_id'), True),)
    db.create_tables([Election, PaperNumber])
    migrator.migrate(
        migrator.add_column('report', 'election_id', CharField(default='')),
        migrator.add_column('report', 'due_on', DateField(null=True)),
        migrator.add_column('report', 'assigned_to', CharField(default='')),
        migrator.add_index('report', ('office_code', 'due_on', 'submitted_at', 'id'), False),
        migrator.add_index('report', ('indexed',), False),  # a search asks for the few not indexed yet
    )
    # The next deadline of the reports already held, under the Pemilu's rules they were taken under: the
    # initial review while it is open, the completion window, or the decision (7 working days after
    # registration). Reports past those stages have none.
    from kiosk.deadlines import add_working_days
    import datetime as dt
    db.execute_sql("UPDATE report SET due_on = kajian_awal_due WHERE status IN ('diterima', 'kajian_awal')")
    db.execute_sql("UPDATE report SET due_on = completion_due WHERE status = 'perlu_dilengkapi'")
    registered = db.execute_sql("SELECT id, registered_on FROM report WHERE status = 'diregistrasi' "
                                "AND registered_on IS NOT NULL").fetchall()
    for report_id, registered_on in registered:
        due = add_working_days(dt.date.fromisoformat(str(registered_on)[:10]), 7)
        db.execute_sql(f"UPDATE report SET due_on = {db.param} WHERE id = {db.param}", (due.isoformat(), report_id))

def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('report', 'report_office_code_due_on_submitted_at_id'),
        migrator.drop_index('report', 'report_indexed'),
        migrator.drop_column('report', 'assigned_to'),
        migrator.drop_column('report', 'due_on'),
        migrator.drop_column('report', 'election_id'),
        migrator.drop_table('election'),
        migrator.drop_table('paper_number'),
    )
