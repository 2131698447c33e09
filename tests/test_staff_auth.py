"""Signing in and out: scrypt hashes, the lockout after five failures, the 30-minute idle timeout,
disabled accounts and reset passwords ending sessions, and every attempt in the audit log."""
import datetime as dt


from kiosk.models import utcnow
from kiosk.staff.models import AuditLog, Staff
from tests.support import html
from tests.support.staff import STAFF_PASSWORD, StaffMember, make_staff


def test_sign_in_opens_todays_list_and_records_it(app, accounts):
    member = StaffMember(app.test_client())
    response = member.login("petugas")
    assert response.request.path == "/staff/"
    assert html.text(response, "#results-title") == "Today's reports"
    assert html.text(response, ".staff-user span") == "petugas · Staff (petugas)"  # signed in as whom, in the header
    assert Staff.get_by_id(accounts["petugas"].id).last_login is not None
    entry = AuditLog.get(AuditLog.action == "login")
    assert (entry.actor, entry.office_code, entry.target) == ("petugas", "36.73", "petugas")


def test_sign_in_returns_to_the_page_asked_for(app, accounts):
    member = StaffMember(app.test_client())
    first = member.client.get("/staff/rekap?date=2026-11-20")
    assert first.status_code == 303 and "next=" in first.headers["Location"]
    member.get(first.headers["Location"])
    response = member.post("/staff/login", {"office": "36.73", "username": "petugas", "password": STAFF_PASSWORD,
                                            "next": "/staff/rekap?date=2026-11-20"})
    assert response.request.full_path == "/staff/rekap?date=2026-11-20"


def test_sign_in_never_redirects_off_site(app, accounts):
    member = StaffMember(app.test_client())
    member.get("/staff/login")
    response = member.client.post("/staff/login", data={
        "office": "36.73", "username": "petugas", "password": STAFF_PASSWORD, "next": "https://evil.example/",
        "csrf_token": member.token})
    assert response.headers["Location"] == "/"


def test_wrong_password_and_unknown_name_get_the_same_answer(app, accounts):
    member = StaffMember(app.test_client())
    wrong = member.login("petugas", password="not the password")
    unknown = member.login("nobody", password="not the password")
    assert wrong.status_code == unknown.status_code == 401
    message = "The username or password is not right"
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert member.client.get("/staff/").status_code == 303  # still signed out
    failures = list(AuditLog.select().where(AuditLog.action == "login_failed").order_by(AuditLog.id))
    assert [(f.target, f.detail["reason"]) for f in failures] == [("petugas", "password"), ("", "unknown")]


def test_usernames_are_not_case_sensitive(app, accounts):
    assert StaffMember(app.test_client()).login("Petugas").request.path == "/staff/"


def test_an_account_of_another_office_cannot_sign_in_here_by_name_alone(app, accounts):
    member = StaffMember(app.test_client())
    assert member.login("pandeglang", office="36.73").status_code == 401
    assert member.login("pandeglang", office="36.01").request.path == "/staff/"


def test_five_failures_lock_the_account_for_fifteen_minutes(app, accounts):
    member = StaffMember(app.test_client())
    for attempt in range(4):
        assert "not right" in member.login("petugas", password=f"wrong {attempt}").get_data(as_text=True)
    fifth = member.login("petugas", password="wrong again")
    assert "locked until" in fifth.get_data(as_text=True)
    account = Staff.get_by_id(accounts["petugas"].id)
    assert account.is_locked()
    assert dt.timedelta(minutes=14) < account.locked_until - utcnow() <= dt.timedelta(minutes=15)

    right = member.login("petugas")  # even the right password is refused while locked
    assert right.status_code == 401 and "locked until" in right.get_data(as_text=True)
    assert member.client.get("/staff/").status_code == 303
    assert AuditLog.select().where(AuditLog.action == "login_locked").count() == 1

    account.locked_until = utcnow() - dt.timedelta(seconds=1)  # fifteen minutes later
    account.save()
    assert member.login("petugas").request.path == "/staff/"
    assert Staff.get_by_id(account.id).failed_logins == 0


def test_a_success_clears_the_count_of_failures(app, accounts):
    member = StaffMember(app.test_client())
    for _ in range(4):
        member.login("petugas", password="wrong")
    member.login("petugas")
    assert Staff.get_by_id(accounts["petugas"].id).failed_logins == 0


def test_session_ends_after_thirty_idle_minutes(app, accounts):
    member = StaffMember(app.test_client())
    member.login("petugas")
    assert member.client.get("/staff/").status_code == 200
    with member.client.session_transaction() as session:
        session["staff"] = dict(session["staff"], seen=session["staff"]["seen"] - 29 * 60)
    assert member.client.get("/staff/").status_code == 200  # 29 minutes: still in, and the clock restarts
    with member.client.session_transaction() as session:
        session["staff"] = dict(session["staff"], seen=session["staff"]["seen"] - 31 * 60)
    response = member.client.get("/staff/")
    assert response.status_code == 303 and "idle=1" in response.headers["Location"]
    assert "30 minutes without activity" in member.get(response.headers["Location"]).get_data(as_text=True)
    assert member.client.get("/staff/").status_code == 303  # the session really ended


def test_htmx_request_after_the_session_ended_redirects_the_whole_page(app, accounts):
    member = StaffMember(app.test_client())
    response = member.client.get("/staff/?status=diterima", headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.headers["HX-Redirect"].startswith("/staff/login")


def test_sign_out_ends_the_session_and_keeps_the_language(app, accounts):
    member = StaffMember(app.test_client())
    member.login("petugas")
    page = member.post("/staff/logout")
    assert page.request.path == "/staff/login" and "You have signed out." in html.texts(page, ".flash")
    assert not html.has(page, ".staff-user")
    assert member.client.get("/staff/").status_code == 303
    with member.client.session_transaction() as session:
        assert "staff" not in session and session.get("lang") == "en"
    assert AuditLog.select().where(AuditLog.action == "logout").count() == 1


def test_sign_in_keeps_the_language_and_display_and_staff_pages_show_them(app, accounts):
    member = StaffMember(app.test_client())
    member.client.get("/tampilan?teks=2&kontras=1&next=/")
    member.login("petugas")
    with member.client.session_transaction() as session:
        assert (session["lang"], session["text"], session["contrast"]) == ("en", 2, True)
    assert '<html lang="en" class="text-2 contrast staff">' in member.get("/staff/").get_data(as_text=True)


def test_sign_in_starts_a_fresh_session(app, accounts):
    member = StaffMember(app.test_client())
    with member.client.session_transaction() as session:
        session["draft"] = "someone else's draft"
    member.login("petugas")
    with member.client.session_transaction() as session:
        assert "draft" not in session and session["staff"]["id"] == accounts["petugas"].id


def test_a_disabled_account_cannot_sign_in_and_is_signed_out(app, accounts):
    member = StaffMember(app.test_client())
    member.login("petugas")
    account = Staff.get_by_id(accounts["petugas"].id)
    account.active = False
    account.save()
    assert member.client.get("/staff/").status_code == 303
    assert "disabled" in member.login("petugas").get_data(as_text=True)


def test_a_password_reset_signs_the_account_out_everywhere(app, accounts):
    member = StaffMember(app.test_client())
    member.login("petugas")
    account = Staff.get_by_id(accounts["petugas"].id)
    account.set_password("a brand new secret")
    account.save()
    assert member.client.get("/staff/").status_code == 303


def test_passwords_are_stored_as_scrypt_hashes(app):
    account = Staff(office_code="36.73", username="budi", role="petugas")
    account.set_password("correct horse battery")
    assert account.password_hash.startswith("scrypt:") and "correct horse" not in account.password_hash
    assert account.check_password("correct horse battery") and not account.check_password("correct horse")
    # at werkzeug's full cost, N = 2**15 (the accounts tests/support/staff.py makes are hashed cheaper)
    assert account.password_hash.startswith("scrypt:32768:8:1$")


def test_staff_pages_are_never_stored(app, accounts):
    member = StaffMember(app.test_client())
    member.login("admin")
    for url in ("/staff/", "/staff/login", "/staff/akun", "/staff/audit"):
        assert member.client.get(url).headers["Cache-Control"] == "no-store", url


def test_create_staff_reads_the_password_from_stdin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-staff", "--office", "36.73", "--username", "siti", "--role", "admin",
                                 "--password-stdin"], input="a long secret phrase\n")
    assert result.exit_code == 0, result.output
    assert "created admin account siti of Bawaslu Kota Serang (36.73)" in result.output
    account = Staff.find("36.73", "siti")
    assert account.is_admin and account.check_password("a long secret phrase")
    assert "a long secret phrase" not in result.output
    assert AuditLog.get(AuditLog.action == "account_add").target == "siti"
    member = StaffMember(app.test_client())
    assert member.login("siti", password="a long secret phrase").request.path == "/staff/"


def test_create_staff_refuses_duplicates_short_passwords_and_unknown_offices_and_roles(app):
    make_staff("siti")
    runner = app.test_cli_runner()
    base = ["create-staff", "--password-stdin"]
    cases = [
        (["--office", "36.73", "--username", "siti", "--role", "petugas"], "already has an account"),
        (["--office", "36.73", "--username", "budi", "--role", "petugas"], "at least 10 characters"),
        (["--office", "99.99", "--username", "budi", "--role", "petugas"], "unknown office"),
        (["--office", "36.73", "--username", "budi", "--role", "boss"], "Invalid value for '--role'"),
        (["--office", "36.73", "--username", "Budi Santoso", "--role", "petugas"], "lowercase letters"),
    ]
    for args, message in cases:
        password = "short\n" if "budi" in args and "36.73" in args and "petugas" in args else "a long secret phrase\n"
        result = runner.invoke(args=base + args, input=password)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    assert Staff.select().count() == 1
