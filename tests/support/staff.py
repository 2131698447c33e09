"""The staff workspace: accounts, a member of staff signed in without JavaScript, reports stored
straight through the models, and offices registered at the provincial hub."""
import datetime as dt
import functools

from .citizen import REPORTER, Citizen

STAFF_PASSWORD = "correct horse battery"

# scrypt with a cost of 2**10 instead of werkzeug's 2**15 for the accounts the tests make: signing in
# still checks a real salted scrypt hash through Staff.check_password (werkzeug reads the cost from
# the hash), in 3 ms instead of 130; the suite signs in several hundred times. Accounts made through
# the app (set_password: the accounts page, `kiosk create-staff`) keep the app's own cost.
TEST_SCRYPT = "scrypt:1024:8:1"


@functools.lru_cache(maxsize=None)
def password_hash(password):
    """A scrypt hash of `password` (at TEST_SCRYPT's cost), made once per test process."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password, method=TEST_SCRYPT)


def make_staff(username, role="petugas", office="36.73", password=STAFF_PASSWORD, active=True):
    """A staff account, stored (its password hashed at TEST_SCRYPT's cost)."""
    from kiosk.staff.models import Staff

    account = Staff(office_code=office, username=username, role=role, active=active,
                    password_hash=password_hash(password))
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
    """A formal report of `office` stored straight through the models (as create_report would), with
    its first status event; `fields` override any column."""
    from lokal import add_working_days

    from kiosk import tracking
    from kiosk.deadlines import local_date
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
    report = Report(**values)
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
