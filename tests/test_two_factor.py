"""Two-factor sign-in: a staff member sets up an authenticator app on their own account page (a QR code
drawn by the server, confirmed by its first code, ten recovery codes shown once), then signs in with the
code; a code works once, a recovery code once; an office admin can require it, and the hub requires it by
default. Changing one's password, and new passwords refused when common."""
import pyotp
import pytest

from kiosk.office import OfficeProfile
from kiosk.staff.models import AuditLog, Staff
from tests.support import html
from tests.support.staff import STAFF_PASSWORD, StaffMember


def enrol(member):
    """Set up the authenticator app on the signed-in member's account; returns (secret, recovery codes)."""
    member.post("/staff/saya/dua-langkah/mulai")
    page = member.get("/staff/saya").get_data(as_text=True)
    assert html.has(page, ".totp-qr svg title")  # the QR code, drawn by the server
    secret = html.text(page, ".totp-secret")
    done = member.post("/staff/saya/dua-langkah", {"code": pyotp.TOTP(secret).now()})
    codes = html.texts(done, ".recovery-codes code")
    return secret, codes


def sign_in(app, username, code=None, password=STAFF_PASSWORD, office="36.73"):
    """Sign in with the password, then (when asked) the code; returns (member, the last page)."""
    member = StaffMember(app.test_client())
    page = member.login(username, password=password, office=office)
    if code is not None:
        assert page.request.path == "/staff/login/kode"
        page = member.post("/staff/login/kode", {"code": code})
    return member, page


def test_setting_up_an_app_then_signing_in_with_its_code(app, accounts, staff_as):
    member = staff_as("petugas")
    secret, codes = enrol(member)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = Staff.get_by_id(accounts["petugas"].id).totp_box
    assert secret not in stored and not any(code in stored for code in codes)  # locked under the account's key
    assert AuditLog.get(AuditLog.action == "totp_on").target == "petugas"

    only_password = StaffMember(app.test_client())
    asked = only_password.login("petugas")
    assert asked.request.path == "/staff/login/kode" and only_password.client.get("/staff/").status_code == 303
    _, page = sign_in(app, "petugas", pyotp.TOTP(secret).now())
    assert page.request.path == "/staff/" and AuditLog.get(AuditLog.action == "login_totp").actor == "petugas"


def test_a_code_works_once_and_a_wrong_code_is_refused(app, accounts, staff_as):
    secret, _ = enrol(staff_as("petugas"))
    code = pyotp.TOTP(secret).now()
    sign_in(app, "petugas", code)
    member, page = sign_in(app, "petugas", code)  # the same code again: a replay
    assert page.status_code == 401 and "That code is not right" in html.errors(page)[0][1]
    wrong = member.post("/staff/login/kode", {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 401 and member.client.get("/staff/").status_code == 303


def test_five_wrong_codes_end_the_sign_in(app, accounts, staff_as):
    secret, _ = enrol(staff_as("petugas"))
    member = StaffMember(app.test_client())
    member.login("petugas")
    for _ in range(4):
        assert member.post("/staff/login/kode", {"code": "12345678"}).status_code == 401
    last = member.post("/staff/login/kode", {"code": "12345678"})
    assert last.request.path == "/staff/login" and "Too many wrong codes" in last.get_data(as_text=True)
    assert member.client.get("/staff/login/kode").headers["Location"].startswith("/staff/login")


def test_a_recovery_code_signs_in_once(app, accounts, staff_as):
    _, codes = enrol(staff_as("petugas"))
    _, page = sign_in(app, "petugas", codes[3])
    assert page.request.path == "/staff/"
    _, again = sign_in(app, "petugas", codes[3])
    assert again.status_code == 401
    member, _ = sign_in(app, "petugas", codes[4].upper())  # as typed off paper: case does not matter
    assert "8 recovery codes left." in member.get("/staff/saya").get_data(as_text=True)


def test_a_wrong_first_code_does_not_turn_it_on(staff_as, accounts):
    member = staff_as("petugas")
    member.post("/staff/saya/dua-langkah/mulai")
    refused = member.post("/staff/saya/dua-langkah", {"code": "000000"})
    assert refused.status_code == 400 and Staff.get_by_id(accounts["petugas"].id).totp_box is None


def test_an_admin_requires_it_and_accounts_without_it_must_set_it_up(app, accounts, staff_as):
    admin = staff_as("admin")
    admin.post("/staff/akun/dua-langkah", {"required": "1"})
    assert OfficeProfile.get_by_id("36.73").require_totp
    assert AuditLog.get(AuditLog.action == "totp_required").actor == "admin"
    member, page = sign_in(app, "petugas")
    assert page.request.path == "/staff/saya"  # nothing else opens until it is set up
    assert member.client.get("/staff/").headers["Location"].startswith("/staff/saya")
    assert member.client.get("/staff/rekap").status_code == 303
    secret, _ = enrol(member)
    assert member.client.get("/staff/").status_code == 200
    off = member.post("/staff/saya/dua-langkah/mati", {"your_password": STAFF_PASSWORD})
    assert "cannot be turned off" in off.get_data(as_text=True) and Staff.get_by_id(accounts["petugas"].id).totp_box


def test_the_hub_requires_it_by_default(hub_app, hub_accounts):
    OfficeProfile.delete().where(OfficeProfile.office_code == "36").execute()  # the template makes it optional
    _, page = sign_in(hub_app, "prov", None, office="36")
    assert page.request.path == "/staff/saya"


def test_turning_it_off_needs_the_password(app, accounts, staff_as):
    member = staff_as("petugas")
    enrol(member)
    member.post("/staff/saya/dua-langkah/mati", {"your_password": "not my password"})
    assert Staff.get_by_id(accounts["petugas"].id).totp_box
    member.post("/staff/saya/dua-langkah/mati", {"your_password": STAFF_PASSWORD})
    assert Staff.get_by_id(accounts["petugas"].id).totp_box is None
    assert sign_in(app, "petugas")[1].request.path == "/staff/"


def test_changing_ones_own_password_keeps_the_key_and_signs_out_the_other_sessions(app, accounts, staff_as):
    other_browser = staff_as("petugas")
    member = staff_as("petugas")
    page = member.post("/staff/saya/sandi", {"current": STAFF_PASSWORD, "password": "a fresh long phrase"})
    assert "Your password is changed" in page.get_data(as_text=True)
    assert other_browser.client.get("/staff/").status_code == 303 and member.client.get("/staff/").status_code == 200
    account = Staff.get_by_id(accounts["petugas"].id)
    assert account.open_key("a fresh long phrase") and account.open_key(STAFF_PASSWORD) is None
    assert account.office_grant  # the same key pair: the office key it held is still its own
    _, signed_in = sign_in(app, "petugas", password="a fresh long phrase")
    assert signed_in.request.path == "/staff/"


@pytest.mark.parametrize("password", ["password123", "bawaslu2024!", "qwertyuiop", "kotaserang1", "1234567890"])
def test_common_passwords_are_refused(staff_as, password):
    member = staff_as("petugas")
    refused = member.post("/staff/saya/sandi", {"current": STAFF_PASSWORD, "password": password})
    assert refused.status_code == 400
    assert any("too easy to guess" in message or "at least" in message for _, message in html.errors(refused))
