"""Pages that cost what they show: every staff page, the status lookup and /healthz over offices of 1k, 100k
and 1M reports, the CSV export's rows per second, and the hub's provincial overview over 9 offices.

    .venv/bin/python bench/growth.py [--sizes 1000,100000,1000000] [--repeat 7] [--hub 1000000]

An office holds N reports over the last two years (sorted by time, as an office files them), with witnesses,
evidence rows and status events. Every size has the same day shapes, so a page shows as much at 1k as at 1M
and only what is stored grows: today holds 40 reports, yesterday (the busy day of the recap) 200, the last
month about N/24 besides. The rows go into SQLite in bulk, straight through sqlite3 (the intake seals each
report under a key of its own; here one report's sealed fields, witnesses' and keys are reused by every row,
which changes nothing a page does). Built databases are kept under /tmp/pojok-growth/ by size and schema, so
a rerun starts in seconds; a newer schema copies the older build and migrates it (the same rows before and
after a change). Figures are medians over the Flask test client (no network), an admin signed in
(the report page and CSV open sealed data with the admin's key).

The hub: 9 registered offices. At sizes up to --hub-rows (100k) the hub holds 9 copies of that office's
reports; at 1M it holds what its counters say of 9 × 1M reports (kiosk.tallies, what ingest keeps),
and only those counters are read by the overview."""
import argparse
import datetime as dt
import os
import random
import re
import shutil
import sqlite3
import sys
import time
import uuid
from pathlib import Path

from kiosk import create_app
from timing import median_ms
from kiosk.db import MIGRATIONS_DIR

CACHE = Path("/tmp/pojok-growth")
PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
OFFICE = "36.73"
HUB_OFFICES = ("36.01", "36.02", "36.03", "36.04", "36.71", "36.72", "36.73", "36.74", "36.99")
TODAY, BUSY = 40, 200  # reports today and on the recap's busy day (yesterday), at every size
STATUSES = ("diterima", "kajian_awal", "perlu_dilengkapi", "diregistrasi", "tidak_diregistrasi", "diteruskan",
            "selesai")
OPEN = ("diterima", "kajian_awal", "perlu_dilengkapi", "diregistrasi")
CATEGORIES = ("politik_uang", "kampanye", "netralitas", "penyelenggara", "tps", "intimidasi", "apk", "hoaks",
              "hak_pilih", "lainnya")
CHANNELS = ("kiosk", "web", "assisted", "sms")
DISTRICTS = ("36.73.01", "36.73.02", "36.73.03", "36.73.04", "36.73.05", "36.73.06")


def schema_name():
    """The newest migration: a built database is kept per size and schema."""
    return sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py"))[-1]


def moments(count, rng):
    """`count` naive UTC times over two years ending now: TODAY of them today, BUSY yesterday (Jakarta, UTC+7),
    the rest spread over the other days; oldest first."""
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    local_midnight = dt.datetime.combine((now + dt.timedelta(hours=7)).date(), dt.time()) - dt.timedelta(hours=7)
    today = min(TODAY, count // 4)
    busy = min(BUSY, count // 4)
    spread = count - today - busy
    seconds_today = max(1, int((now - local_midnight).total_seconds()) - 60)
    times = [local_midnight + dt.timedelta(seconds=rng.randrange(seconds_today)) for _ in range(today)]
    times += [local_midnight - dt.timedelta(days=1) + dt.timedelta(seconds=rng.randrange(86400)) for _ in range(busy)]
    span = 728 * 86400
    start = local_midnight - dt.timedelta(days=730)
    times += [start + dt.timedelta(seconds=rng.randrange(span)) for _ in range(spread)]
    return sorted(times)


def office_app(folder, code=OFFICE, role="office"):
    """The app over the data folder `folder` (migrated on start)."""
    return create_app({"DATA_DIR": str(folder), "RATE_LIMITS": False, "KDF_MEMORY_MB": 8, "ROLE": role,
                       "OFFICE_CODE": code})


def let_go(app):
    """Close every connection `app` holds, so that a bulk load may change the journal mode."""
    from kiosk.db import db

    db.close_all()
    app.extensions["kiosk_wal"].close()


def make_admin(code):
    """The office's key pair and an admin holding it; returns the office's private key."""
    from kiosk.db import db, writing
    from kiosk.keyring import Keyring
    from kiosk.staff.models import Staff

    with db.connection_context(), writing():
        office_key, _printed = Keyring.create_for(code)
        admin = Staff(office_code=code, username="admin", role="admin")
        admin.set_password(PASSWORD, 8)
        admin.give_office_key(office_key)
        admin.save()
        if code == "36":  # the hub asks for a second factor by default: not of a bench
            from kiosk.office import OfficeProfile

            OfficeProfile.create(office_code=code, require_totp=False)
    return office_key


def build_office(folder, count):
    """An office of `count` reports in `folder`, written in bulk (see the module's docstring)."""
    from kiosk import keys, sealing
    from kiosk.models import Report

    app = office_app(folder)
    with app.app_context():
        make_admin(OFFICE)
        report_key = keys.new_secret()
        key_office, key_hub = sealing.seal_report_key(OFFICE, report_key)
        person = {"reporter_name": "Siti Rahmawati", "reporter_nik": "3673015508900002", "reporter_phone":
                  "+6281234567890", "reporter_address": "Jl. Ki Mas Jong No. 7, Serang", "reporter_birth_place": "Serang",
                  "reporter_occupation": "Guru", "reporter_nationality": "Indonesia", "reporter_sex": "P",
                  "terlapor_address": "Kp. Cilaku RT 02/05", "terlapor_phone": "+6281300000000"}
        personal = sealing.seal_fields(report_key, person, sealing.REPORT_FIELDS)
        witness = sealing.seal_fields(report_key, {"name": "Budi Santoso", "address": "Kp. Cilaku", "phone": ""},
                                      sealing.WITNESS_FIELDS)
        evidence = sealing.seal_fields(report_key, {"name": "foto-amplop.jpg"}, ("name",))
    let_go(app)
    columns = [field.column_name for field in Report._meta.sorted_fields]
    rng = random.Random(16)
    path = Path(folder) / "kiosk.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")  # a bulk load: the file is thrown away if it fails
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -600000")
    conn.execute("BEGIN")
    insert = f"INSERT INTO report ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    today = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=7)).date()
    seq = per_year = 0
    year = None
    reports, witnesses, files, events = [], [], [], []

    def flush():
        conn.executemany(insert, reports)
        conn.executemany("INSERT INTO witness (id, change_seq, report_id, position, personal) VALUES (?,?,?,?,?)",
                         witnesses)
        conn.executemany("INSERT INTO evidence (id, change_seq, report_id, addition_id, position, blob, original, "
                         "mime, size, personal) VALUES (?,?,?,NULL,?,?,'','image/jpeg',?,?)", files)
        conn.executemany("INSERT INTO status_event (id, change_seq, report_id, status, at, actor, public_note, "
                         "internal_note, detail) VALUES (?,?,?,?,?,?,?,'','{}')", events)
        for batch in (reports, witnesses, files, events):
            batch.clear()

    for n, at in enumerate(moments(count, rng)):
        local = (at + dt.timedelta(hours=7)).date()
        if local.year != year:
            year, per_year = local.year, 0
        per_year += 1
        age = (today - local).days
        status = rng.choice(OPEN) if age < 14 else rng.choice(STATUSES[4:]) if rng.random() < 0.97 else "diregistrasi"
        due = (local + dt.timedelta(days=rng.randrange(1, 10))).isoformat() if status in OPEN else None
        rid = uuid.uuid4().hex
        stamp = at.isoformat(" ", "seconds")
        row = {
            "id": rid, "change_seq": seq + 1, "office_code": OFFICE,
            "receipt_no": f"{per_year:04d}/PL/{OFFICE}/{local.month}/{local.year}",
            "tracking_code": f"{rng.randrange(10 ** 15, 10 ** 16)}", "submit_key": None,
            "kind": "formal" if n % 4 else "tip", "channel": CHANNELS[n % 4], "language": "id",
            "submitted_at": stamp, "status": status, "late": 0, "kajian_awal_due": (local + dt.timedelta(days=2)).isoformat(),
            "declared_true": 1, "category": CATEGORIES[rng.randrange(len(CATEGORIES))],
            "occurred_on": (local - dt.timedelta(days=2)).isoformat(), "learned_on": (local - dt.timedelta(days=1)).isoformat(),
            "regency_code": OFFICE, "district_code": DISTRICTS[n % len(DISTRICTS)], "village_code": "",
            "place_detail": "Dekat TPS 05", "description": "Tim sukses membagikan amplop berisi uang kepada warga "
            "sebelum pencoblosan, disaksikan beberapa orang di depan balai desa.",
            "terlapor_name": "Tim Sukses Calon Nomor 3", "terlapor_role": "tim_kampanye", "reporter_type": "pemilih",
            "reporter_nik_masked": "3673********0002", "identity_complete": 1, "personal": personal,
            "key_office": key_office, "key_hub": key_hub, "indexed": 1, "physical_evidence": "",
            "legal_category": "", "registration_no": None, "updated_at": stamp, "kajian_checks": None,
            "kajian_by": "", "kajian_at": None, "completion_due": None, "completed_at": None, "needs_review": 0,
            "registered_on": None, "forwarded_to": "", "outcome": "", "erased_on": None, "election_id": "",
            "due_on": due, "assigned_to": "", "transfer_office": "", "transferred_from": "", "notices": "",
        }
        reports.append(tuple(row[column] for column in columns))
        seq += 1
        for position in range(rng.choice((0, 0, 1, 1, 2))):
            seq += 1
            witnesses.append((uuid.uuid4().hex, seq, rid, position, witness))
        for position in range(rng.choice((0, 1, 1, 2))):
            seq += 1
            files.append((uuid.uuid4().hex, seq, rid, position, f"{rng.getrandbits(256):064x}", 180_000, evidence))
        for step, name in enumerate(("diterima", status) if status != "diterima" else ("diterima",)):
            seq += 1
            events.append((uuid.uuid4().hex, seq, rid, name, stamp, "system" if not step else "admin",
                           "Laporan diterima." if not step else ""))
        if len(reports) >= 20_000:
            flush()
    flush()
    conn.execute("INSERT INTO counter (name, value) VALUES ('change', ?) ON CONFLICT (name) DO UPDATE SET value = "
                 "excluded.value", (seq,))
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()


def cached(kind, count, build):
    """The data folder of `kind` at `count`, built by `build(folder, count)` unless kept from an earlier run."""
    folder = CACHE / f"{kind}-{count}-{schema_name()}"
    if not (folder / "built").exists():
        shutil.rmtree(folder, ignore_errors=True)
        working = CACHE / f"{folder.name}.building"
        shutil.rmtree(working, ignore_errors=True)
        older = sorted(CACHE.glob(f"{kind}-{count}-*[!g]/built"))
        began = time.perf_counter()
        if older:  # the same rows at an older schema: copied, and migrated when the app opens them
            shutil.copytree(older[-1].parent, working)
        else:
            working.mkdir(parents=True)
            build(working, count)
        (working / "built").write_text(f"{time.perf_counter() - began:.0f} s\n")
        working.rename(folder)
    return folder


def signed_in(app, code=OFFICE):
    """The admin, signed in, on the test client (the page's CSRF token carried)."""
    client = app.test_client()
    client.get("/bahasa/en?next=/")
    page = client.get("/staff/login").get_data(as_text=True)
    client.post("/staff/login", data={"office": code, "username": "admin", "password": PASSWORD,
                                      "csrf_token": CSRF.search(page).group(1)})
    return client


def samples(folder):
    """A report of today (its id, tracking code), the busy day, and the month of the CSV export."""
    conn = sqlite3.connect(Path(folder) / "kiosk.sqlite3")
    rid, code = conn.execute("SELECT id, tracking_code FROM report ORDER BY submitted_at DESC LIMIT 1").fetchone()
    conn.close()
    today = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=7)).date()
    return {"id": str(uuid.UUID(rid)), "code": code, "today": today, "busy": today - dt.timedelta(days=1)}


def measure_office(count, repeat):
    """{page: median ms} and CSV rows/s at an office of `count` reports."""
    folder = cached("office", count, build_office)
    sample = samples(folder)
    app = office_app(folder)
    client = signed_in(app)
    code = sample["code"]
    spaced = " ".join(code[i:i + 4] for i in range(0, 16, 4))
    month_start, month_end = sample["today"] - dt.timedelta(days=30), sample["today"]
    pages = {
        "staff list, today": f"/staff/?start={sample['today'].isoformat()}",
        "search by tracking code": f"/staff/?q={spaced.replace(' ', '+')}",
        "the work, the queue": "/staff/",
        "report page": f"/staff/laporan/{sample['id']}",
        "daily recap, the busy day": f"/staff/rekap?date={sample['busy'].isoformat()}",
        "status lookup": f"/status?kode={code}",
        "/healthz": "/healthz",
    }
    figures = {}
    for label, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        figures[label] = median_ms(lambda url=url: client.get(url).get_data(), repeat)
    page = client.get("/staff/ekspor").get_data(as_text=True)
    form = {"csrf_token": CSRF.search(page).group(1), "start": month_start.isoformat(), "end": month_end.isoformat(),
            "separator": "comma"}
    rows = client.post("/staff/ekspor", data=form).get_data().count(b"\r\n") - 1
    csv_ms = median_ms(lambda: client.post("/staff/ekspor", data=form).get_data(), max(3, repeat // 2))
    figures[f"CSV of a month ({rows:,} rows)"] = csv_ms
    return figures, rows / (csv_ms / 1000)


def build_hub_rows(folder, count):
    """A hub of 9 offices, each holding a copy of the office of `count` reports (the reports only)."""
    office = cached("office", count, build_office)
    from kiosk.models import Report
    from kiosk.sync import signing
    from kiosk.sync.models import HubOffice
    from kiosk.db import db, writing

    app = office_app(folder, "36", "hub")
    with app.app_context():
        make_admin("36")
        with db.connection_context(), writing():
            for code in HUB_OFFICES:
                HubOffice.create(code=code, public_key=signing.public_key(code), last_ok_at=dt.datetime(2026, 1, 1))
    let_go(app)
    columns = [field.column_name for field in Report._meta.sorted_fields]
    conn = sqlite3.connect(Path(folder) / "kiosk.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -600000")
    conn.execute("ATTACH DATABASE ? AS office", (str(office / "kiosk.sqlite3"),))
    conn.execute("BEGIN")
    for code in HUB_OFFICES:
        chosen = ", ".join("lower(hex(randomblob(16)))" if c == "id" else "?" if c == "office_code" else c
                           for c in columns)
        conn.execute(f"INSERT INTO report ({', '.join(columns)}) SELECT {chosen} FROM office.report", (code,))
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE office")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()


def build_hub_counters(folder, count):
    """A hub of 9 offices whose counters hold 9 × `count` reports (kiosk.tallies' rows, made from the
    same day shapes as an office's), holding no report rows itself."""
    from kiosk.db import db, writing
    from kiosk.sync import signing
    from kiosk.sync.models import HubOffice
    from kiosk import tallies

    app = office_app(folder, "36", "hub")
    rng = random.Random(9)
    with app.app_context():
        make_admin("36")
        with db.connection_context(), writing():
            for code in HUB_OFFICES:
                HubOffice.create(code=code, public_key=signing.public_key(code), last_ok_at=dt.datetime(2026, 1, 1))
        today = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=7)).date()
        per_day = {}
        for at in moments(count, rng):
            day = (at + dt.timedelta(hours=7)).date()
            per_day[day] = per_day.get(day, 0) + 1
        with db.connection_context(), writing():
            for code in HUB_OFFICES:
                for day, n in per_day.items():
                    old = (today - day).days >= 14
                    counted = {}
                    for dimension, values in (("status", STATUSES[4:] if old else OPEN), ("category", CATEGORIES),
                                              ("channel", CHANNELS)):
                        counted.update({(dimension, value): share for value, share
                                        in zip(values, split(n, len(values), rng)) if share})
                    tallies.keep(code, day, counted)  # what ingest's recount stores for the office-day


def split(total, parts, rng):
    """`total` cut into `parts` random whole shares."""
    cuts = sorted(rng.randrange(total + 1) for _ in range(parts - 1))
    return [b - a for a, b in zip([0] + cuts, cuts + [total])]


def measure_hub(kind, count, repeat):
    """The median ms of the hub's overview over 9 offices of `count` reports."""
    folder = cached(kind, count, build_hub_rows if kind == "hub" else build_hub_counters)
    app = office_app(folder, "36", "hub")
    client = signed_in(app, "36")
    assert client.get("/staff/").status_code == 200
    return median_ms(lambda: client.get("/staff/").get_data(), repeat)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--hub-rows", type=int, default=100_000, help="the hub of 9 copies of an office this size")
    parser.add_argument("--hub", type=int, default=1_000_000, help="the hub of 9 offices this size, in counters")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    table, rates = {}, {}
    for count in sizes:
        began = time.perf_counter()
        figures, rate = measure_office(count, args.repeat)
        rates[count] = rate
        for label, ms in figures.items():
            table.setdefault(re.sub(r" \(.*", "", label), {})[count] = (ms, label)
        print(f"office of {count:,} reports measured in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    head = " | ".join(f"{size:,}" for size in sizes)
    print(f"\n| page (median ms) | {head} | {sizes[-1]:,} / {sizes[0]:,} |")
    print("| --- |" + " --- |" * (len(sizes) + 1))
    for label, by_size in table.items():
        cells = " | ".join(f"{by_size[size][0]:.1f}" for size in sizes)
        rows = re.search(r"\((.*)\)", by_size[sizes[-1]][1])
        print(f"| {label}{' (' + rows.group(1) + ' at ' + format(sizes[-1], ',') + ')' if rows else ''} | {cells} | "
              f"{by_size[sizes[-1]][0] / by_size[sizes[0]][0]:.1f}× |")
    print("| CSV streaming, rows/s | " + " | ".join(f"{rates[size]:,.0f}" for size in sizes) + " | |")
    hub_ms = measure_hub("hub", args.hub_rows, args.repeat)
    print(f"\nhub overview, 9 offices × {args.hub_rows:,} reports (rows): {hub_ms:.1f} ms median")
    if os.environ.get("GROWTH_BEFORE") != "1":
        counters_ms = measure_hub("hubcounters", args.hub, args.repeat)
        print(f"hub overview, 9 offices × {args.hub:,} reports (counters only): {counters_ms:.1f} ms median")


if __name__ == "__main__":
    main()
