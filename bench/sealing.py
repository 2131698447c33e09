"""What sealing personal data costs: sealing a report at intake (its fields, a witness, a file's key; and a
photo's bytes), unlocking the office key at sign-in (Argon2id at the office's KDF_MEMORY_MB), and the staff
list and a report page, medians over repeated requests on the test client.

    .venv/bin/python bench/sealing.py [--reports 200] [--repeat 30]
    .venv/bin/python bench/sealing.py --against /tmp/before [--rounds 7]

`--against` compares the two pages and the password check with a checkout of the code from before sealing
(`git worktree add /tmp/before 0120734`): the other version runs in a child process, and the two take turns
at rounds of requests so that both see the same load (the machine is shared); it prints the medians of
the rounds and their ratio."""
import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

from kiosk import create_app
from timing import median_ms

PASSWORD = "correct horse battery staple"
SUBMIT_KEY = re.compile(r'name="submit_key" value="([^"]+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """A person without JavaScript on the test client: each post carries the last page's CSRF token."""

    def __init__(self, client):
        self.client, self.token = client, None

    def get(self, url):
        page = self.client.get(url, follow_redirects=True).get_data(as_text=True)
        found = CSRF.search(page)
        self.token = found.group(1) if found else self.token
        return page

    def post(self, url, data):
        page = self.client.post(url, data=dict(data, csrf_token=self.token), follow_redirects=True).get_data(as_text=True)
        found = CSRF.search(page)
        self.token = found.group(1) if found else self.token
        return page


def file_report(app, n):
    """A formal report through the citizen's steps, with a witness."""
    today = dt.date.today()
    person = Browser(app.test_client())
    person.get("/lapor/kejadian?jenis=formal")
    person.post("/lapor/kejadian", {
        "category": "politik_uang", "occurred_on": (today - dt.timedelta(days=2)).isoformat(),
        "learned_on": (today - dt.timedelta(days=1)).isoformat(), "regency": "36.73", "district": "36.73.01",
        "village": "36.73.01.1001", "place_detail": "Dekat TPS 05", "action": "next",
        "description": "Tim sukses calon membagikan amplop berisi uang kepada warga sebelum pencoblosan."})
    person.post("/lapor/terlapor", {"terlapor_name": "Tim Sukses Nomor 3", "terlapor_role": "tim_kampanye",
                                    "action": "next"})
    person.post("/lapor/saksi", {"witness_name": f"Saksi {n}", "witness_phone": "0813 1111 2222", "action": "add"})
    person.post("/lapor/saksi", {"action": "next"})
    person.post("/lapor/bukti", {"action": "next"})
    person.post("/lapor/pelapor", {
        "reporter_type": "pemilih", "reporter_name": "Siti Rahmawati", "reporter_nik": "3673015508900002",
        "reporter_birth_place": "Serang", "reporter_birth_date": "1990-08-15", "reporter_sex": "P",
        "reporter_occupation": "Guru", "reporter_nationality": "Indonesia",
        "reporter_address": "Jl. Ahmad Yani No. 12, Cipare, Serang", "reporter_phone": "0812 3456 7890",
        "action": "next", "warnings_seen": ""})
    page = person.get("/lapor/periksa")
    key = SUBMIT_KEY.search(page).group(1)
    person.post("/lapor/kirim", {"submit_key": key, "declared_true": "y"})


def set_up(reports):
    """An office with `reports` reports and an admin, in whichever version of kiosk is imported."""
    folder = tempfile.mkdtemp(prefix="bench-sealing-")
    app = create_app({"DATA_DIR": folder, "MIN_FORM_SECONDS": 0, "RATE_LIMITS": False, "KDF_MEMORY_MB": 128})
    from kiosk.db import db, writing
    from kiosk.staff.models import Staff

    with db.connection_context(), writing():
        admin = Staff(office_code="36.73", username="admin", role="admin")
        try:
            from kiosk.keyring import Keyring
        except ImportError:  # before sealing
            admin.set_password(PASSWORD)
        else:
            office_key, _ = Keyring.create_for("36.73")
            admin.set_password(PASSWORD, app.config["KDF_MEMORY_MB"])
            admin.give_office_key(office_key)
        admin.save()
    for n in range(reports):
        file_report(app, n)
    return app


def signed_in(app, repeat):
    """A signed-in staff browser, the newest report's id and the password check's median ms: what signing
    in waits for (before sealing, the account's scrypt hash; since, Argon2id unlocking the account's key)."""
    from kiosk.models import Report
    from kiosk.staff.models import Staff

    staff = Browser(app.test_client())
    staff.client.get("/bahasa/en?next=/")
    staff.get("/staff/login")
    staff.post("/staff/login", {"office": "36.73", "username": "admin", "password": PASSWORD})
    with app.app_context():
        report_id = Report.select().order_by(Report.submitted_at.desc()).first().id
        admin = Staff.get(Staff.username == "admin")
        check = admin.open_key if hasattr(admin, "open_key") else admin.check_password
        signing = median_ms(lambda: check(PASSWORD), max(3, repeat // 6))
    return staff, report_id, signing


def page_round(staff, report_id, repeat):
    """(staff list ms, report page ms) medians over `repeat` requests of each."""
    return (median_ms(lambda: staff.client.get("/staff/"), repeat),
            median_ms(lambda: staff.client.get(f"/staff/laporan/{report_id}"), repeat))


def worker(args):
    """Serve rounds to a comparing parent: one JSON line of page times per line read."""
    staff, report_id, signing = signed_in(set_up(args.reports), args.repeat)
    print(json.dumps({"signing": signing}), flush=True)
    for _ in sys.stdin:
        print(json.dumps(page_round(staff, report_id, args.repeat)), flush=True)


def compare(args):
    """Page times of this version and of the one in `args.against`, in alternating rounds of one sitting,
    so that both see the same load on a shared machine."""
    child = subprocess.Popen(
        [sys.executable, __file__, "--worker", "--reports", str(args.reports), "--repeat", str(args.repeat)],
        env=dict(os.environ, PYTHONPATH=args.against), cwd=args.against, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    staff, report_id, signing = signed_in(set_up(args.reports), args.repeat)
    before = json.loads(child.stdout.readline())["signing"]
    ours, theirs = [], []
    for n in range(args.rounds):
        for side in ((0, 1) if n % 2 else (1, 0)):
            if side:
                ours.append(page_round(staff, report_id, args.repeat))
            else:
                child.stdin.write("round\n")
                child.stdin.flush()
                theirs.append(json.loads(child.stdout.readline()))
    child.stdin.close()
    child.wait()
    print(f"{'what':40} {'before ms':>10} {'now ms':>10} {'ratio':>7}")
    for name, index in (("staff list (today, %d reports)" % args.reports, 0), ("a report page", 1)):
        old = statistics.median(r[index] for r in theirs)
        new = statistics.median(r[index] for r in ours)
        print(f"{name:40} {old:10.1f} {new:10.1f} {new / old:7.2f}")
    print(f"{'signing in (the password check)':40} {before:10.1f} {signing:10.1f} {signing / before:7.2f}")


def sealing_times(repeat):
    """(ms to seal a report's fields, witness and file key; ms to lock a 2 MB photo)."""
    import os

    from kiosk import keys, sealing

    private, public = keys.new_key_pair()
    fields = {"reporter_name": "Siti Rahmawati", "reporter_nik": "3673015508900002", "reporter_address": "Jl. Ahmad Yani 12",
              "reporter_phone": "+6281234567890", "reporter_email": "siti@example.com"}

    def seal_one():
        key = keys.new_secret()
        keys.seal(public, key), keys.seal(public, key)  # to the office and to the hub
        sealing.seal_fields(key, fields, sealing.REPORT_FIELDS)
        sealing.seal_fields(key, {"name": "Budi", "address": "Kp. Baru", "phone": "+6281311112222"},
                            sealing.WITNESS_FIELDS)
        sealing.seal_fields(key, {"filename": "foto.jpg", "sha256": "0" * 64, "key": keys.b64(keys.new_secret())},
                            sealing.EVIDENCE_FIELDS)

    photo = os.urandom(2 * 1024 * 1024)
    return median_ms(seal_one, repeat * 10), median_ms(lambda: keys.lock_bytes(keys.new_secret(), photo), repeat)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--against", metavar="CHECKOUT", help="compare the pages with this checkout's code")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    if args.against:
        return compare(args)
    staff, report_id, signing = signed_in(set_up(args.reports), args.repeat)
    listing, report = page_round(staff, report_id, args.repeat)
    seal, photo = sealing_times(args.repeat)
    print(f"{'what':40} {'median ms':>10}")
    print(f"{'staff list (today, ' + str(args.reports) + ' reports)':40} {listing:10.1f}")
    print(f"{'a report page':40} {report:10.1f}")
    print(f"{'signing in (the password check)':40} {signing:10.3f}")
    print(f"{'sealing a report (fields, witness, file)':40} {seal:10.3f}")
    print(f"{'locking a 2 MB photo':40} {photo:10.1f}")


if __name__ == "__main__":
    main()
