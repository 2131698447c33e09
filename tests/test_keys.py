"""The office's keys: `kiosk init-keys` makes them once and prints the recovery key, the office key passes
from account to account as they sign in, `kiosk recover` hands it to a new admin with the recovery key (after
a restore too), an account that does not hold it sees that the data is sealed, and `kiosk serve` refuses to
take reports before the office has keys."""
import re
import sqlite3
import subprocess

import pytest

from kiosk import create_app
from kiosk.backup import make_backup, restore
from kiosk.keyring import Keyring
from kiosk.models import Report
from kiosk.staff.models import AuditLog, Staff
from tests.support import html, keys
from tests.support.citizen import REPORTER, Citizen, submit, walk_to_review
from tests.support.servers import BIN, environment, starting
from tests.support.staff import STAFF_PASSWORD, StaffMember, make_report, make_staff

RECOVERY_SHAPE = re.compile(r"^([A-Z2-7]{4}-){12}[A-Z2-7]{4}$", re.M)


@pytest.fixture
def bare(tmp_path):
    """An office on an empty data folder, as on the day it is installed: no keys, no accounts."""
    return create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "new"), "KDF_MEMORY_MB": 8, "MIN_FORM_SECONDS": 0})


def cli(app, *args, input=None):
    result = app.test_cli_runner().invoke(args=list(args), input=input)
    return result.exit_code, result.output


def test_init_keys_makes_the_keys_and_the_first_admin_and_prints_the_recovery_key_once(bare):
    code, output = cli(bare, "init-keys", "--admin", "kepala", "--password-stdin", input=STAFF_PASSWORD + "\n")
    assert code == 0, output
    printed = RECOVERY_SHAPE.search(output).group(0)
    assert "office safe" in output and "loses every report's personal data for good" in output
    with bare.app_context():
        row = Keyring.get_by_id("36.73")
        assert printed not in row.recovery_box and printed.replace("-", "") not in row.recovery_box
        admin = Staff.find("36.73", "kepala")
        assert admin.is_admin and admin.office_key(admin.open_key(STAFF_PASSWORD)) == Keyring.recover("36.73", printed)
    again = cli(bare, "init-keys")
    assert again[0] != 0 and "already has its keys" in again[1]
    assert cli(bare, "init-keys", "--if-missing") == (0, "")


def test_reports_are_refused_until_the_office_has_keys(bare):
    person = Citizen(bare.test_client())
    walk_to_review(person)
    response, _ = submit(person)
    assert response.status_code == 500 and Report.select().count() == 0  # nothing taken readable


def test_an_account_made_at_the_command_line_gets_the_key_when_a_holder_signs_in(app):
    code, output = cli(app, "create-staff", "--office", "36.73", "--username", "baru", "--role", "petugas",
                       "--password-stdin", input="a long secret phrase\n")
    assert code == 0 and "once an account holding the office key signs in" in output
    made = make_report()
    newcomer = StaffMember(app.test_client())
    newcomer.login("baru", password="a long secret phrase")
    page = newcomer.get(f"/staff/laporan/{made.id}").get_data(as_text=True)
    assert "does not hold the office key" in page and REPORTER["reporter_name"] not in page
    assert made.reporter_nik_masked in page  # what stays readable

    make_staff("kepala", "admin")
    holder = StaffMember(app.test_client())
    holder.login("kepala")  # hands the key on
    assert AuditLog.get(AuditLog.action == "key_grant").target == "baru"
    states = {row[0]: row[3] for row in html.rows(holder.get("/staff/akun"), "table.accounts")}
    assert states["baru"] == "Can read it"
    newcomer = StaffMember(app.test_client())
    newcomer.login("baru", password="a long secret phrase")
    assert REPORTER["reporter_name"] in newcomer.get(f"/staff/laporan/{made.id}").get_data(as_text=True)


def test_an_admin_adding_an_account_hands_it_the_key_at_once(app, staff_as):
    made = make_report()
    make_staff("kepala", "admin")
    admin = StaffMember(app.test_client())
    admin.login("kepala")
    admin.post("/staff/akun", {"username": "baru", "role": "petugas", "password": "a long secret phrase"})
    newcomer = StaffMember(app.test_client())
    newcomer.login("baru", password="a long secret phrase")
    assert REPORTER["reporter_name"] in newcomer.get(f"/staff/laporan/{made.id}").get_data(as_text=True)


def test_restore_then_recover_an_admin_who_reads_the_old_reports(app, citizen):
    walk_to_review(citizen)
    submit(citizen)
    backup = make_backup(app.config, 3)
    done = restore(app.config, backup.path)  # the office's database put back from last night's copy
    assert done.reports == 1
    wrong = cli(app, "recover", "--username", "pengganti", "--stdin", input="AAAA-BBBB\n" + STAFF_PASSWORD + "\n")
    assert wrong[0] != 0 and "not this office's recovery key" in wrong[1]
    code, output = cli(app, "recover", "--username", "pengganti", "--stdin",
                       input=f"{keys.RECOVERY.lower()}\n{STAFF_PASSWORD}\n")
    assert code == 0 and "holds the office key" in output, output
    assert AuditLog.get(AuditLog.action == "key_recover").target == "pengganti"
    member = StaffMember(app.test_client())
    member.login("pengganti")
    report = Report.get()
    page = member.get(f"/staff/laporan/{report.id}").get_data(as_text=True)
    assert REPORTER["reporter_name"] in page and REPORTER["reporter_nik"] in page


@pytest.mark.process
def test_kiosk_serve_refuses_to_start_without_keys(tmp_path):
    env = environment(tmp_path / "data")
    with sqlite3.connect(tmp_path / "data" / "kiosk.sqlite3") as conn:
        conn.execute("DELETE FROM keyring")
    starting("kiosk serve")
    result = subprocess.run([BIN / "kiosk", "serve", "--port", "1"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1 and "has no keys yet: run `kiosk init-keys --admin NAME` first" in result.stderr
