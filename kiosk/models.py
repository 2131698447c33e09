"""The records the corner keeps: reports with their witnesses, evidence and status history, drafts,
and the counters that number them."""
import datetime as dt
import json
import uuid

import peewee as pw

from . import regions
from .db import BaseModel, writing


def utcnow():
    """The current time in UTC, naive, as stored in the database."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class JSONText(pw.TextField):
    """JSON kept as text, so the same model runs on SQLite and PostgreSQL."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class Counter(BaseModel):
    """Named sequences: receipt numbers per office and year, and the replication change counter."""

    name = pw.CharField(primary_key=True)
    value = pw.IntegerField(default=0)

    @classmethod
    def next(cls, name):
        """Take the next number of sequence `name`; call inside a write transaction. One statement, an
        upsert returning the new value: every stored row takes one."""
        query = cls.insert(name=name, value=1).on_conflict(conflict_target=[cls.name],
                                                           update={cls.value: cls.value + 1})
        return list(query.returning(cls.value).tuples().execute())[0][0]


class Replicated(BaseModel):
    """A row that travels to the provincial hub: a UUID that never changes, and a change number
    bumped on every insert or update so that the nightly sync sends only what changed."""

    id = pw.UUIDField(primary_key=True, default=uuid.uuid4)
    change_seq = pw.IntegerField(index=True, default=0)

    def save(self, *args, bump=True, **kwargs):
        """Save, taking a fresh change number unless `bump` is False (rows arriving from an office)."""
        if bump and not self._meta.database.in_transaction():
            # The number and the row must commit together: were another change to commit between them,
            # a sync could acknowledge past this number before the row exists, and never send it.
            with writing():
                return self.save(*args, **kwargs)
        if bump:
            self.change_seq = Counter.next("change")
        return super().save(*args, **kwargs)


class Report(Replicated):
    """One report: a formal report (Formulir Model B.1) or an anonymous tip (informasi awal)."""

    office_code = pw.CharField(index=True)
    receipt_no = pw.CharField()  # unique within the office (Meta): an office's numbers never block another's
    tracking_code = pw.CharField(index=True)
    submit_key = pw.CharField(unique=True, null=True)  # the draft's id: a retried submit finds it (never sent)
    kind = pw.CharField()  # formal | tip
    channel = pw.CharField()  # kiosk | web | assisted | sms (choices.CHANNELS)
    language = pw.CharField(default="id")  # the reporter's language, for staff replying to them
    submitted_at = pw.DateTimeField(index=True, default=utcnow)
    status = pw.CharField(default="diterima")
    late = pw.BooleanField(default=False)
    kajian_awal_due = pw.DateField()
    declared_true = pw.BooleanField(default=False)
    # the event
    category = pw.CharField()
    occurred_on = pw.DateField()
    learned_on = pw.DateField()
    regency_code = pw.CharField()
    district_code = pw.CharField()
    village_code = pw.CharField(default="")
    place_detail = pw.TextField(default="")
    description = pw.TextField()
    # the reported party (terlapor): its address and phone are sealed
    terlapor_name = pw.CharField(default="")
    terlapor_role = pw.CharField(default="")
    # the reporter (pelapor): everything but the type and a masked NIK is sealed (kiosk.sealing)
    reporter_type = pw.CharField(default="")
    reporter_nik_masked = pw.CharField(default="")  # '3673********0002'
    identity_complete = pw.BooleanField(default=False)  # what the kajian awal's first check suggests
    personal = pw.TextField(default="")  # the sealed fields, locked under the report's own key
    key_office = pw.TextField(default="")  # the report's key, sealed to the office's public key
    key_hub = pw.TextField(default="")  # and to the hub's, when the office knows it (KIOSK_HUB_KEY)
    indexed = pw.BooleanField(default=False, index=True)  # its search tokens are made (kiosk.search; never replicated)
    physical_evidence = pw.TextField(default="")  # what the reporter will hand in at the office
    legal_category = pw.CharField(default="")
    registration_no = pw.CharField(null=True)
    updated_at = pw.DateTimeField(default=utcnow)
    # the review by staff (kiosk/staff): the kajian awal checklist as confirmed, and the decisions
    kajian_checks = JSONText(null=True)  # {check: met}; None until staff confirm it
    kajian_by = pw.CharField(default="")
    kajian_at = pw.DateTimeField(null=True)
    completion_due = pw.DateField(null=True)  # set on 'perlu dilengkapi'
    completed_at = pw.DateTimeField(null=True)  # the reporter completed it (kiosk.completion): the window stops
    needs_review = pw.BooleanField(default=False)  # something was added since staff last decided
    registered_on = pw.DateField(null=True)
    forwarded_to = pw.CharField(default="")  # kiosk.staff.choices.AGENCIES
    outcome = pw.CharField(default="")  # kiosk.staff.choices.OUTCOMES
    erased_on = pw.DateField(null=True)  # its personal data destroyed (kiosk.retention): a tombstone since
    election_id = pw.CharField(default="")  # kiosk.elections.Election; '' for the office's default rules
    due_on = pw.DateField(null=True)  # the next legal deadline of its status (kiosk.staff.workflow.deadline_of)
    assigned_to = pw.CharField(default="")  # the username of the petugas working on it
    transfer_office = pw.CharField(default="")  # dilimpahkan: the office it was transferred to (kiosk.transfers)
    transferred_from = pw.CharField(default="")  # the UUID (hex) of the report it came from by transfer, or ''
    # dilimpahkan: the reporter's wish for messages, for the receiving office, locked under the report's key
    notices = pw.TextField(default="")  # (kiosk.notify.handover); '' when none was asked for

    class Meta:
        indexes = ((("office_code", "receipt_no"), True), (("office_code", "tracking_code"), True),
                   (("office_code", "registration_no"), True), (("office_code", "due_on", "submitted_at", "id"), False),
                   (("office_code", "submitted_at", "id"), False), (("office_code", "status", "submitted_at"), False))

    @classmethod
    def held(cls):
        """How many reports the database holds: on SQLite the counter its triggers keep (kiosk.counting),
        elsewhere a count."""
        if isinstance(cls._meta.database.obj, pw.SqliteDatabase):
            row = Counter.get_or_none(Counter.name == "reports")
            if row is not None:
                return row.value
        return cls.select().count()

    @classmethod
    def by_tracking_code(cls, digits):
        """The report with this 16-digit tracking code, or None."""
        return cls.get_or_none(cls.tracking_code == digits)

    def public_events(self):
        """The status history a citizen may see, oldest first."""
        return self.events.order_by(StatusEvent.at, StatusEvent.change_seq)

    @property
    def transfer_to(self):
        """The Bawaslu competent for the event when it is not this office: the report is for transfer
        (dilimpahkan), through the hub; None when this office handles it."""
        return regions.competent_office(self.regency_code, self.office_code)

    @property
    def transfer_code(self):
        """The code of the office `transfer_to` names, or None."""
        return self.regency_code if self.transfer_to else None


class Witness(Replicated):
    """A witness (saksi) named in a report: name, address and phone sealed under the report's key."""

    report = pw.ForeignKeyField(Report, backref="witnesses", on_delete="CASCADE")
    position = pw.IntegerField(default=0)
    personal = pw.TextField(default="")


class Addition(Replicated):
    """What was added to a report after filing: the reporter's completion (`source` 'reporter'), material
    the reporter brought to the office and staff attached, or physical evidence staff received
    ('office'). Whoever adds holds no key of the report, so an addition has a key of its own, sealed like
    a report's (to the office and the hub); its text, and the identity fields a reporter completed, are
    sealed under it, and so are its files' names, hashes and keys (Evidence rows with this `addition`)."""

    report = pw.ForeignKeyField(Report, backref="additions", on_delete="CASCADE")
    kind = pw.CharField()  # completion | brought_in | physical_received
    at = pw.DateTimeField(default=utcnow)
    actor = pw.CharField(default="")  # the staff account; '' for the reporter
    receipt_no = pw.CharField(default="")  # the addition's own number, on its receipt: '<report's>-L1'
    personal = pw.TextField(default="")
    key_office = pw.TextField(default="")
    key_hub = pw.TextField(default="")


class Evidence(Replicated):
    """An evidence file handed in with a report. The file is stored locked under a key of its own, named
    by the SHA-256 of what is stored (`blob`: without location or camera data, what is replicated and
    downloaded); its name, its own SHA-256 (the receipt's) and its key are sealed under the report's key.
    `original` names the file exactly as it was sent when that differs (at the office only: an admin's
    audited download), else ''."""

    report = pw.ForeignKeyField(Report, backref="evidence", on_delete="CASCADE")
    addition = pw.ForeignKeyField(Addition, backref="files", null=True, on_delete="CASCADE")  # sealed under its key
    position = pw.IntegerField(default=0)
    blob = pw.CharField(index=True)
    original = pw.CharField(default="")
    mime = pw.CharField()
    size = pw.IntegerField()
    personal = pw.TextField(default="")


class StatusEvent(Replicated):
    """One step in a report's history: who changed the status, when, and why."""

    report = pw.ForeignKeyField(Report, backref="events", on_delete="CASCADE")
    status = pw.CharField()
    at = pw.DateTimeField(default=utcnow)
    actor = pw.CharField(default="")
    public_note = pw.TextField(default="")
    internal_note = pw.TextField(default="")
    detail = JSONText(default=dict)


class Draft(BaseModel):
    """A report being written: what the person typed so far, kept on the server so that a reload, the
    back button or a dropped connection loses nothing, and locked under a key that lives only in the
    person's session cookie (kiosk.lapor.drafts). `files` names the draft's evidence in the store."""

    id = pw.CharField(primary_key=True)
    sealed = pw.TextField(default="")
    files = JSONText(default=list)
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow, index=True)

    @classmethod
    def find(cls, draft_id):
        """The draft with this id, or None. Plain SQL: it runs on every step of every report, and
        peewee building the query cost four times what SQLite takes to answer it."""
        return next(iter(cls.raw("SELECT * FROM draft WHERE id = ?", draft_id)), None)

    def keep(self):
        """Save what was typed (plain SQL, for the reason given in `find`). Call inside a write transaction."""
        self._meta.database.execute_sql("UPDATE draft SET sealed = ?, files = ?, updated_at = ? WHERE id = ?",
                                        (self.sealed, Draft.files.db_value(self.files),
                                         self.updated_at.isoformat(" "), self.id))

    @classmethod
    def stale(cls, hours):
        """Drafts untouched for more than `hours`."""
        return cls.select().where(cls.updated_at < utcnow() - dt.timedelta(hours=hours))


MODELS = [Counter, Report, Witness, Addition, Evidence, StatusEvent, Draft]
