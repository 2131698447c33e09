"""The staff workspace: accounts, a member of staff signed in without JavaScript, reports stored
straight through the models, and offices registered at the provincial hub."""
import datetime as dt
import functools

from . import keys
from .citizen import REPORTER, Citizen

STAFF_PASSWORD = "correct horse battery"

@functools.lru_cache(maxsize=None)
def key_pair_for(password):
    """An account's key pair locked under `password` (Argon2id at 8 MB), made once per test process and
    shared by the accounts with that password: what set_password makes, without its cost each time."""
    from kiosk.staff.models import Staff

    probe = Staff()
    private = probe.set_password(password, memory_mb=8)
    return private, probe.public_key, probe.secret_box, probe.kdf


def make_staff(username, role="petugas", office="36.73", password=STAFF_PASSWORD, active=True, granted=True):
    """A staff account, stored, with its own key pair and (when `granted` and the office has test keys)
    the office key."""
    from kiosk import keys as crypto
    from kiosk.staff.models import Staff

    private, public, box, kdf = key_pair_for(password)
    account = Staff(office_code=office, username=username, role=role, active=active, public_key=public,
                    secret_box=box, kdf=kdf)
    if granted and office in keys.PRIVATE:
        account.office_grant = crypto.seal(public, keys.PRIVATE[office])
    account.save()
    return account


class StaffMember(Citizen):
    """Office staff in a browser without JavaScript, reading English (the source strings)."""

    def __init__(self, client):
        super().__init__(client)
        client.get("/bahasa/en?next=/")

    def post(self, url, data=None, **kwargs):
        if self.token is None:
            self.get("/staff/login")
        return super().post(url, data, **kwargs)

    def login(self, username, password=STAFF_PASSWORD, office="36.73"):
        """Sign in; returns the page signed in to (or the sign-in page with its problem)."""
        self.get("/staff/login")
        return self.post("/staff/login", {"office": office, "username": username, "password": password})


def make_report(office="36.73", submitted_at=None, **fields):
    """A formal report of `office` stored straight through the models (as create_report would), its
    personal fields sealed to the office's and the hub's test keys, with its first status event; `fields`
    override any column (the sealed ones too: they are sealed with the rest)."""
    from lokal import add_working_days

    from kiosk import keys as crypto
    from kiosk import sealing, tracking
    from kiosk.deadlines import Rules, local_date
    from kiosk.staff.workflow import due_on
    from kiosk.models import Report, StatusEvent, utcnow
    from kiosk.numbering import next_receipt_no

    at = submitted_at or utcnow()
    received_on = local_date(at)
    values = dict(
        office_code=office, receipt_no=next_receipt_no(office, received_on), tracking_code=tracking.new_code(),
        kind="formal", channel="web", submitted_at=at, kajian_awal_due=add_working_days(received_on, 2),
        declared_true=True, category="politik_uang", occurred_on=received_on - dt.timedelta(days=2),
        learned_on=received_on - dt.timedelta(days=1), regency_code="36.73", district_code="36.73.01",
        village_code="36.73.01.1001", place_detail="Dekat TPS 05",
        description="Tim sukses membagikan amplop berisi uang kepada warga sebelum pencoblosan.",
        terlapor_name="Tim Sukses Calon Nomor 3", terlapor_role="tim_kampanye", updated_at=at,
        reporter_type="pemilih", reporter_name=REPORTER["reporter_name"], reporter_nik=REPORTER["reporter_nik"],
        reporter_birth_place="Serang", reporter_birth_date=dt.date(1990, 8, 15), reporter_sex="P",
        reporter_occupation="Guru", reporter_nationality="Indonesia", reporter_address=REPORTER["reporter_address"],
        reporter_phone="+6281234567890", reporter_email="siti@example.com", physical_evidence="2 amplop",
    )
    values.update(fields)
    personal = {name: values.pop(name) for name in sealing.REPORT_FIELDS if name in values}
    key = crypto.new_secret()
    values.update(personal=sealing.seal_fields(key, personal, sealing.REPORT_FIELDS),
                  key_office=crypto.seal(keys.public(office), key) if office in keys.PRIVATE else "",
                  key_hub=crypto.seal(keys.HUB_KEY, key), reporter_nik_masked=sealing.masked_nik(personal.get("reporter_nik")),
                  identity_complete=bool(personal.get("reporter_nik")) and values.get("kind", "formal") == "formal")
    report = Report(**values)
    if "due_on" not in fields:  # as the workflow keeps it, under the Pemilu's preset (the office's defaults)
        report.due_on = due_on(report, Rules())
    report.save(force_insert=True)
    StatusEvent(report=report, status="diterima", at=at, actor="system").save(force_insert=True)
    return report


def make_hub_office(code, ok_hours_ago=None, attempt_hours_ago=None, result=None, revoked=False):
    """An office registered at the hub: its last completed sync `ok_hours_ago` hours ago (None: never),
    its last attempt `attempt_hours_ago` hours ago (default: the completed one) with `result`."""
    from kiosk.models import utcnow
    from kiosk.sync import signing
    from kiosk.sync.models import HubOffice

    now = utcnow()
    attempt = ok_hours_ago if attempt_hours_ago is None else attempt_hours_ago
    return HubOffice.create(
        code=code, public_key=signing.public_key(code), revoked_at=now if revoked else None,
        last_ok_at=None if ok_hours_ago is None else now - dt.timedelta(hours=ok_hours_ago),
        last_sync_at=None if attempt is None else now - dt.timedelta(hours=attempt),
        last_sync_result=result or ("ok" if attempt is not None and attempt == ok_hours_ago else ""))
