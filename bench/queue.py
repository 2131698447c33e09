"""The work and the search at the scale of a busy office: 100,000 reports (a third of them still needing
action, the rest finished over two years), each with its sealed personal data and its blind-index tokens.
Prints the median milliseconds of the queue's first page, a count's rows, the page after a keyset cursor,
and searches by receipt number, exact NIK and a name word, over the test client (no network), signed in.

    .venv/bin/python bench/queue.py [--reports 100000] [--repeat 15]

The reports are written straight into the database in bulk (the intake's own path takes a citizen's steps
each; sealing them one key each would take most of an hour): one report key seals every report's fields,
which changes nothing the pages do. The tokens are what kiosk.search makes, under the office's key."""
import argparse
import datetime as dt
import random
import re
import tempfile
import time
import uuid

from kiosk import create_app
from timing import median_ms

PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
NAMES = ("Siti", "Rahmawati", "Budi", "Santoso", "Dewi", "Lestari", "Ahmad", "Hidayat", "Nur", "Aini", "Joko",
         "Susilo", "Rina", "Marlina", "Agus", "Salim")
OPEN = ("diterima", "kajian_awal", "perlu_dilengkapi", "diregistrasi")


def fill(count):
    """An office with an admin holding the office key and `count` reports; returns (app, a sample report)."""
    folder = tempfile.mkdtemp(prefix="bench-queue-")
    app = create_app({"DATA_DIR": folder, "RATE_LIMITS": False, "KDF_MEMORY_MB": 8})
    from peewee import chunked

    from kiosk import keys, search, sealing
    from kiosk.db import db, writing
    from kiosk.keyring import Keyring
    from kiosk.models import Report
    from kiosk.search import SearchToken
    from kiosk.staff.models import Staff

    rng = random.Random(7)
    today = dt.date.today()
    with app.app_context(), db.connection_context():
        with writing():
            office_key, _ = Keyring.create_for("36.73")
            admin = Staff(office_code="36.73", username="admin", role="admin")
            admin.set_password(PASSWORD, 8)
            admin.give_office_key(office_key)
            admin.save()
        report_key = keys.new_secret()
        key_office, key_hub = sealing.seal_report_key("36.73", report_key)
        token_key = search._key(office_key)
        rows, tokens = [], []
        for n in range(count):
            at = dt.datetime(2025, 1, 1) + dt.timedelta(minutes=rng.randrange(700 * 24 * 60))
            status = rng.choice(OPEN) if n % 3 == 0 else "selesai"
            name = f"{rng.choice(NAMES)} {rng.choice(NAMES)}"
            nik = f"3673{n:012d}"
            person = {"reporter_name": name, "reporter_nik": nik, "reporter_phone": f"+62812{n:08d}"}
            due = today + dt.timedelta(days=rng.randrange(-20, 20)) if status in OPEN else None
            rid = uuid.uuid4()
            rows.append(dict(
                id=rid, change_seq=n + 1, office_code="36.73", receipt_no=f"{n + 1:06d}/PL/36.73/XI/2026",
                tracking_code=f"{n:016d}", kind="formal", channel="web", submitted_at=at, status=status,
                kajian_awal_due=at.date() + dt.timedelta(days=2), category="politik_uang",
                occurred_on=at.date(), learned_on=at.date(), regency_code="36.73", district_code="36.73.01",
                description="Tim sukses membagikan amplop berisi uang kepada warga sebelum pencoblosan.",
                terlapor_name="Tim Sukses Calon Nomor 3", terlapor_role="tim_kampanye", reporter_type="pemilih",
                reporter_nik_masked=sealing.masked_nik(nik), identity_complete=True, indexed=True,
                personal=sealing.seal_fields(report_key, person, sealing.REPORT_FIELDS), key_office=key_office,
                key_hub=key_hub, due_on=due, updated_at=at))
            for term in search.terms(type("P", (), {"reporter_nik": nik, "reporter_phone": person["reporter_phone"],
                                                    "reporter_name": name}), ""):
                tokens.append({"report": rid, "token": keys.keyed_hash(token_key, term, "search")})
        with writing():
            for chunk in chunked(rows, 500):
                Report.insert_many(chunk).execute()
            for chunk in chunked(tokens, 2000):
                SearchToken.insert_many(chunk).execute()
    return app, rows[count // 2]


def signed_in(app):
    """The admin, signed in, on the test client (the page's CSRF token carried)."""
    client = app.test_client()
    client.get("/bahasa/en?next=/")
    page = client.get("/staff/login").get_data(as_text=True)
    client.post("/staff/login", data={"office": "36.73", "username": "admin", "password": PASSWORD,
                                      "csrf_token": CSRF.search(page).group(1)})
    return client


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    began = time.perf_counter()
    app, sample = fill(args.reports)
    print(f"{args.reports} reports written in {time.perf_counter() - began:.0f} s")
    client = signed_in(app)
    first = client.get("/staff/").get_data(as_text=True)
    cursor = re.search(r'href="/staff/\?after=([^"&]+)"', first).group(1).replace("&#43;", "+")
    pages = {
        "queue, first page (50 rows of the work)": "/staff/",
        "queue, the overdue": "/staff/?due=overdue",
        "queue, the page after a cursor": f"/staff/?after={cursor}",
        "search, receipt number": f"/staff/?q={sample['receipt_no']}",
        "search, exact NIK": "/staff/?q=3673%012d" % (args.reports // 2),
        "search, a name word (about 1 report in 8)": "/staff/?q=Rahmawati",
    }
    for label, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        print(f"{label:45} {median_ms(lambda url=url: client.get(url), args.repeat):8.1f} ms median")


if __name__ == "__main__":
    main()
