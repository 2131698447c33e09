"""Signing in and out: the password opening the account's key, the lockout after five failures from one
address, sessions in the server's memory only (30 idle minutes, 12 hours at most, ended by signing out,
disabling or a reset everywhere at once), and every attempt in the audit log."""
import time
from pathlib import Path


from kiosk.staff.models import AuditLog, Staff
from tests.support import html
from tests.support.staff import STAFF_PASSWORD, StaffMember, make_staff


def test_sign_in_opens_the_work_and_records_it(app, accounts):
    member = StaffMember(app.test_client())
    response = member.login("petugas")
    assert response.request.path == "/staff/"
    assert html.h1(response) == "The work"
    assert html.text(response, ".staff-user a") == "petugas · Staff (petugas)"  # signed in as whom, in the header
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


def throttled(app):
    """The app's failed sign-ins: {(office, username, address): (count, locked until)}."""
    return app.extensions["sign_in_throttle"].failures


def live_sessions(app):
    """The app's live staff sessions."""
    return list(app.extensions["staff_sessions"].sessions.values())


def test_five_failures_lock_that_account_from_that_address_for_fifteen_minutes(app, accounts):
    member = StaffMember(app.test_client())
    for attempt in range(4):
        assert "not right" in member.login("petugas", password=f"wrong {attempt}").get_data(as_text=True)
    fifth = member.login("petugas", password="wrong again")
    assert "locked until" in fifth.get_data(as_text=True)
    count, until = throttled(app)[("36.73", "petugas", "127.0.0.1")]
    assert 14 * 60 < until - time.time() <= 15 * 60

    right = member.login("petugas")  # even the right password is refused while locked, from this address
    assert right.status_code == 401 and "locked until" in right.get_data(as_text=True)
    assert member.client.get("/staff/").status_code == 303
    assert AuditLog.select().where(AuditLog.action == "login_locked").count() == 1

    elsewhere = StaffMember(app.test_client())
    elsewhere.client.environ_base["REMOTE_ADDR"] = "10.0.0.7"
    assert elsewhere.login("petugas").request.path == "/staff/"  # one attacker does not lock the account out

    throttled(app)[("36.73", "petugas", "127.0.0.1")] = (0, time.time() - 1)  # fifteen minutes later
    assert member.login("petugas").request.path == "/staff/"
    assert ("36.73", "petugas", "127.0.0.1") not in throttled(app)


def test_an_unknown_username_is_locked_out_just_the_same(app, accounts):
    member = StaffMember(app.test_client())
    answers = [member.login("nobody", password=f"guess {n}").get_data(as_text=True) for n in range(5)]
    assert all("not right" in answer for answer in answers[:4]) and "locked until" in answers[4]


def test_a_success_clears_the_count_of_failures(app, accounts):
    member = StaffMember(app.test_client())
    for _ in range(4):
        member.login("petugas", password="wrong")
    member.login("petugas")
    assert ("36.73", "petugas", "127.0.0.1") not in throttled(app)


def test_session_ends_after_thirty_idle_minutes(app, accounts):
    member = StaffMember(app.test_client())
    member.login("petugas")
    assert member.client.get("/staff/").status_code == 200
    (session,) = live_sessions(app)
    session.seen -= 29 * 60
    assert member.client.get("/staff/").status_code == 200  # 29 minutes: still in, and the clock restarts
    session.seen -= 31 * 60
    response = member.client.get("/staff/")
    assert response.status_code == 303 and "idle=1" in response.headers["Location"]
    assert "30 minutes without activity" in member.get(response.headers["Location"]).get_data(as_text=True)
    assert member.client.get("/staff/").status_code == 303 and live_sessions(app) == []  # it really ended


def test_a_session_kept_busy_still_ends_twelve_hours_after_signing_in(app, accounts):
    member = StaffMember(app.test_client())
    member.login("petugas")
    (session,) = live_sessions(app)
    session.started -= 12 * 3600 - 60
    assert member.client.get("/staff/").status_code == 200  # 11 h 59 min, in use all along
    session.started -= 120
    assert member.client.get("/staff/").status_code == 303


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
        assert "draft" not in session
    assert [session.staff_id for session in live_sessions(app)] == [accounts["petugas"].id]


def test_a_disabled_account_cannot_sign_in_and_is_signed_out(app, accounts):
    member = StaffMember(app.test_client())
    member.login("petugas")
    account = Staff.get_by_id(accounts["petugas"].id)
    account.active = False
    account.save()
    assert member.client.get("/staff/").status_code == 303
    # The same answer as a wrong password, right password or not: nothing says the account exists.
    assert "not right" in member.login("petugas").get_data(as_text=True)
    assert "not right" in member.login("petugas", password="wrong").get_data(as_text=True)


def test_a_password_reset_signs_the_account_out_everywhere(app, accounts, staff_as):
    phone, office_pc = StaffMember(app.test_client()), StaffMember(app.test_client())
    phone.login("petugas")
    office_pc.login("petugas")
    admin = staff_as("admin")
    admin.post(f"/staff/akun/{accounts['petugas'].id}/sandi", {"password": "a brand new secret",
                                                               "your_password": STAFF_PASSWORD})
    assert phone.client.get("/staff/").status_code == office_pc.client.get("/staff/").status_code == 303
    assert phone.login("petugas", password="a brand new secret").request.path == "/staff/"


def test_a_cookie_copied_before_signing_out_opens_nothing_after(app, accounts):
    member = StaffMember(app.test_client())
    member.login("petugas")
    thief = app.test_client()
    thief.set_cookie("session", member.client.get_cookie("session").value)
    assert thief.get("/staff/").status_code == 200  # the copy works while the session lives...
    member.post("/staff/logout")
    assert thief.get("/staff/").status_code == 303  # ...and not a moment after


def test_no_session_can_be_made_from_the_data_folder(app, accounts):
    """Everything on the disk (the secret key, the database and its WAL) does not sign anyone in: the
    cookie only names a random token that lives in the server's memory."""
    from flask.sessions import SecureCookieSessionInterface

    member = StaffMember(app.test_client())
    member.login("admin")
    with member.client.session_transaction() as session:
        token = session["staff"]
    data = Path(app.config["DATA_DIR"])
    for path in data.rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path
    signer = SecureCookieSessionInterface().get_signing_serializer(app)
    for forged in ({"staff": "a guessed token"}, {"staff": {"id": accounts["admin"].id, "seen": int(time.time())}}):
        intruder = app.test_client()
        intruder.set_cookie("session", signer.dumps(forged))
        assert intruder.get("/staff/").status_code == 303, forged


def test_staff_and_citizen_cookies_last_only_the_browser_session(app, accounts, citizen):
    member = StaffMember(app.test_client())
    signed_in = member.login("petugas")
    assert all("Expires" not in cookie and "Max-Age" not in cookie
               for cookie in signed_in.history[0].headers.getlist("Set-Cookie"))
    started = citizen.client.get("/lapor/kejadian?jenis=formal")
    assert all("Expires" not in cookie for cookie in started.headers.getlist("Set-Cookie"))


def test_the_password_locks_the_accounts_own_key(app):
    account = Staff(office_code="36.73", username="budi", role="petugas")
    key = account.set_password("correct horse battery", memory_mb=8)
    assert account.password_hash == "" and "correct horse" not in account.secret_box
    assert account.open_key("correct horse battery") == key and account.open_key("correct horse") is None


def test_an_account_from_before_keys_gets_its_key_pair_at_its_next_sign_in(app):
    from werkzeug.security import generate_password_hash

    Staff.create(office_code="36.73", username="lama", role="petugas",
                 password_hash=generate_password_hash(STAFF_PASSWORD, method="scrypt"))
    assert StaffMember(app.test_client()).login("lama").request.path == "/staff/"
    account = Staff.find("36.73", "lama")
    assert account.password_hash == "" and account.public_key and account.open_key(STAFF_PASSWORD)


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
    assert account.is_admin and account.open_key("a long secret phrase")
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


def test_an_unknown_office_is_refused_before_anything_is_written(app, accounts):
    member = StaffMember(app.test_client())
    member.get("/staff/login")
    for office in ("99.99", "36.73" + "x" * 300_000):
        response = member.post("/staff/login", {"office": office, "username": "petugas", "password": STAFF_PASSWORD})
        assert response.status_code in (400, 413)
    assert AuditLog.select().count() == 0  # nothing an attacker typed reached the log
    answer = member.post("/staff/login", {"office": "99.99", "username": "petugas", "password": STAFF_PASSWORD})
    assert [message for _, message in html.errors(answer)] == ["Choose your office from the list."]


def test_every_audit_field_is_bounded(app):
    entry = AuditLog.record("36.73", "x" * 10_000, "login_failed", "y" * 10_000,
                            **{f"k{n}": "z" * 10_000 for n in range(50)})
    stored = AuditLog.get_by_id(entry.id)
    assert len(stored.actor) == len(stored.target) == 200
    assert len(stored.detail) == 20 and all(len(value) == 200 for value in stored.detail.values())


def test_the_password_is_checked_outside_the_write_lock(app, accounts, monkeypatch):
    """Deriving the key from a password takes a deliberate fraction of a second: were it inside the one
    write lock, every citizen's step would wait behind a run of failed sign-ins."""
    from kiosk import keys
    from kiosk.db import _write_lock

    derive, held = keys.derive, []

    def watching(password, params):
        held.append(_write_lock._is_owned())
        return derive(password, params)

    monkeypatch.setattr(keys, "derive", watching)
    member = StaffMember(app.test_client())
    member.login("petugas", password="wrong password")
    member.login("nobody", password="wrong password")
    member.login("petugas")
    assert len(held) == 3 and not any(held)
