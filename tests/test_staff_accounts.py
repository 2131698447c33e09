"""Office admins manage their office's accounts in the UI: add, disable and enable, reset a password;
each change is in the audit log, and no password ever is."""

import pytest

from kiosk.staff.models import AuditLog, Staff
from tests.support import html
from tests.support.staff import STAFF_PASSWORD, StaffMember

NEW = "a long fresh secret"


@pytest.fixture
def admin(staff_as):
    return staff_as("admin")


def test_admin_adds_an_account_who_can_then_sign_in(app, admin):
    page = admin.post("/staff/akun", {"username": "budi", "role": "petugas", "password": NEW})
    assert "The account budi is added." in page.get_data(as_text=True)
    account = Staff.find("36.73", "budi")
    assert account.role == "petugas" and account.active and account.open_key(NEW) and not account.password_hash
    entry = AuditLog.get(AuditLog.action == "account_add")
    assert (entry.actor, entry.target, entry.detail) == ("admin", "budi", {"role": "petugas"})
    assert StaffMember(app.test_client()).login("budi", password=NEW).request.path == "/staff/"


@pytest.mark.parametrize("form,message", [
    ({"username": "petugas", "role": "petugas", "password": NEW}, "already has an account with that username"),
    ({"username": "Budi Santoso", "role": "petugas", "password": NEW}, "lowercase letters"),
    ({"username": "budi", "role": "petugas", "password": "pendek"}, "Use at least 10 characters."),
    ({"username": "budi", "role": "raja", "password": NEW}, "Not a valid choice"),
])
def test_account_form_explains_what_is_wrong(admin, form, message):
    response = admin.post("/staff/akun", form)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert Staff.select().count() == 3


def test_the_same_username_may_exist_in_another_office(admin):
    admin.post("/staff/akun", {"username": "pandeglang", "role": "petugas", "password": NEW})
    assert Staff.select().where(Staff.username == "pandeglang").count() == 2


def test_disable_signs_the_account_out_and_enable_lets_it_back(app, admin, staff_as, accounts):
    petugas = staff_as("petugas")
    admin.post(f"/staff/akun/{accounts['petugas'].id}/aktif", {"active": "0"})
    assert not Staff.get_by_id(accounts["petugas"].id).active
    assert petugas.client.get("/staff/").status_code == 303
    assert "not right" in StaffMember(app.test_client()).login("petugas").get_data(as_text=True)  # as a wrong password
    page = admin.get("/staff/akun").get_data(as_text=True)
    assert {row[0]: row[2] for row in html.rows(page, "table.accounts")}["petugas"] == "Disabled"
    admin.post(f"/staff/akun/{accounts['petugas'].id}/aktif", {"active": "1"})
    assert StaffMember(app.test_client()).login("petugas").request.path == "/staff/"
    actions = [e.action for e in AuditLog.select().where(AuditLog.target == "petugas").order_by(AuditLog.id)
               if e.action.startswith("account_")]
    assert actions == ["account_disable", "account_enable"]


def test_an_admin_cannot_disable_themselves(admin, accounts):
    page = admin.post(f"/staff/akun/{accounts['admin'].id}/aktif", {"active": "0"}).get_data(as_text=True)
    assert "You cannot disable your own account." in page
    assert Staff.get_by_id(accounts["admin"].id).active


def test_reset_password_replaces_the_old_one(app, admin, accounts):
    account = Staff.get_by_id(accounts["petugas"].id)
    page = admin.post(f"/staff/akun/{account.id}/sandi", {"password": NEW, "your_password": STAFF_PASSWORD}
                      ).get_data(as_text=True)
    assert "The password of petugas is reset." in page
    member = StaffMember(app.test_client())
    assert member.login("petugas", password=STAFF_PASSWORD).status_code == 401
    assert member.login("petugas", password=NEW).request.path == "/staff/"
    entry = AuditLog.get(AuditLog.action == "account_reset")
    assert entry.target == "petugas" and NEW not in str(entry.detail)


def test_reset_refuses_a_short_password(admin, accounts):
    response = admin.post(f"/staff/akun/{accounts['petugas'].id}/sandi", {"password": "short"})
    assert response.status_code == 400 and "Use at least 10 characters." in response.get_data(as_text=True)


def test_accounts_page_lists_only_this_office(admin):
    page = admin.get("/staff/akun").get_data(as_text=True)
    assert [row[:3] for row in html.rows(page, "table.accounts")] == [
        ["admin", "Office admin", "Active"], ["petugas", "Staff (petugas)", "Active"]]  # not Pandeglang's admin
    assert "pandeglang" not in page and "password_hash" not in page and "scrypt" not in page
