"""Backup and replication at the size of a busy office: 10,000 reports (with witnesses and status
events) and 1,000 evidence files of 20-100 KB. Prints the seconds and bytes of the first sync to a
fresh hub, of a sync with nothing new, and of `kiosk backup`.

    make bench-sync     # or: .venv/bin/python bench/sync.py [--reports N] [--files N] [--repeat N] [--keep-data]

The office and the hub are real `kiosk` processes on 127.0.0.1 (no network latency: the seconds are
the software's own). Bytes are request and response bodies as sent (batches gzipped, files raw),
without HTTP headers (about 400 bytes a request). Figures are medians over --repeat runs; each first
sync goes to a new, empty hub.
"""
import argparse
import datetime as dt
import hashlib
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: tests.support

from tests.support import database as template_database  # noqa: E402
from tests.support import keys  # noqa: E402
from tests.support.servers import Server, environment, kiosk  # noqa: E402

from kiosk import create_app, sealing, tracking  # noqa: E402
from kiosk import keys as crypto  # noqa: E402
from kiosk.db import db, writing  # noqa: E402
from kiosk.models import Counter, Evidence, Report, StatusEvent, Witness  # noqa: E402

SUMMARY = re.compile(r"(\d[\d,]*) requests?, (\d[\d,]*) bytes sent, (\d[\d,]*) received, ([\d.]+) s")


def build_office(data_dir, reports, files):
    """An office database filled in one transaction, sealed as intake seals it (with the tests' keys), and
    its evidence files (random bytes, locked)."""
    template_database.data_folder(template_database.template(), data_dir)
    app = create_app({"DATA_DIR": str(data_dir), "OFFICE_CODE": "36.73", "HUB_KEY": keys.HUB_KEY})
    rng = random.Random(36_73)
    evidence_dir = Path(app.config["EVIDENCE_DIR"])
    start = dt.datetime(2026, 10, 1)
    seq = 0

    def nxt():
        nonlocal seq
        seq += 1
        return seq

    rows = {Report: [], Witness: [], Evidence: [], StatusEvent: []}
    every = max(1, reports // files) if files else 0
    for n in range(reports):
        at = start + dt.timedelta(minutes=5 * n)
        report_id = uuid.uuid4()
        key = crypto.new_secret()
        person = {"reporter_name": "Siti Rahmawati", "reporter_nik": "3673015508900002",
                  "reporter_phone": "+6281234567890"}
        rows[Report].append(dict(
            personal=sealing.seal_fields(key, person, sealing.REPORT_FIELDS), reporter_nik_masked="3673********0002",
            key_office=crypto.seal(keys.public("36.73"), key), key_hub=crypto.seal(keys.HUB_KEY, key),
            id=report_id, change_seq=nxt(), office_code="36.73", receipt_no=f"{n + 1:05d}/PL/36.73/X/2026",
            tracking_code=tracking.new_code(), kind="formal" if n % 2 else "tip", channel="kiosk", submitted_at=at,
            kajian_awal_due=at.date() + dt.timedelta(days=2), declared_true=True, category="politik_uang",
            occurred_on=at.date(), learned_on=at.date(), regency_code="36.73", district_code="36.73.01",
            village_code="36.73.01.1001", place_detail="Dekat TPS 05, Jl. Maulana Yusuf",
            description="Tim sukses calon membagikan amplop berisi uang kepada warga sebelum pencoblosan. " * 3,
            terlapor_name="Tim Sukses Calon Nomor 3", terlapor_role="tim_kampanye", updated_at=at))
        if n % 3 == 0:
            witness = {"name": f"Saksi {n}", "address": "Cipare, Serang", "phone": "+6281311112222"}
            rows[Witness].append(dict(id=uuid.uuid4(), change_seq=nxt(), report=report_id,
                                      personal=sealing.seal_fields(key, witness, sealing.WITNESS_FIELDS)))
        if every and n % every == 0 and len(rows[Evidence]) < files:
            content = rng.randbytes(rng.randint(20_000, 100_000))
            file_key = crypto.new_secret()
            locked = crypto.lock_bytes(file_key, content)
            blob = hashlib.sha256(locked).hexdigest()
            (evidence_dir / blob).write_bytes(locked)
            fields = {"filename": f"foto-{n}.jpg", "sha256": hashlib.sha256(content).hexdigest(),
                      "key": crypto.b64(file_key)}
            rows[Evidence].append(dict(id=uuid.uuid4(), change_seq=nxt(), report=report_id, blob=blob,
                                       mime="image/jpeg", size=len(content),
                                       personal=sealing.seal_fields(key, fields, sealing.EVIDENCE_FIELDS)))
        rows[StatusEvent].append(dict(id=uuid.uuid4(), change_seq=nxt(), report=report_id, status="diterima",
                                      at=at, actor="system"))
    with db.connection_context(), writing():
        for model, items in rows.items():
            for chunk in range(0, len(items), 200):
                model.insert_many(items[chunk:chunk + 200]).execute()
        Counter.insert(name="change", value=seq).on_conflict_replace().execute()
    return {model.__name__: len(items) for model, items in rows.items()}, sum(
        p.stat().st_size for p in evidence_dir.iterdir())


def timed(env, *args):
    """(wall seconds, stdout) of a kiosk command that must succeed."""
    began = time.monotonic()
    result = kiosk(env, *args, timeout=3600)
    if result.returncode:
        sys.exit(f"kiosk {' '.join(args)} failed: {result.stderr.strip()}")
    return time.monotonic() - began, result.stdout


def sync_figures(env):
    """(wall s, own s, requests, sent, received) of one `kiosk sync`."""
    wall, out = timed(env, "sync")
    requests, sent, received, own = SUMMARY.search(out).groups()
    return wall, float(own), *(int(x.replace(",", "")) for x in (requests, sent, received))


def fresh_hub(root, n):
    """A new empty hub server with office 36.73 registered; (server, token)."""
    hub = Server(root / f"hub{n}", role="hub", office_code="36")
    token = kiosk(hub.env, "hub-add-office", "--code", "36.73").stdout.strip().splitlines()[-1]
    hub.start()
    return hub, token


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep-data", action="store_true", help="leave the office and hubs in /tmp")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    office_dir = root / "office"

    began = time.monotonic()
    counts, evidence_bytes = build_office(office_dir, args.reports, args.files)
    db_size = (office_dir / "kiosk.sqlite3").stat().st_size
    print(f"office: {', '.join(f'{n:,} {name}' for name, n in counts.items())}; "
          f"database {db_size:,} bytes, evidence {evidence_bytes:,} bytes (built in {time.monotonic() - began:.1f} s)")

    first, again = [], []
    for n in range(args.repeat):
        hub, token = fresh_hub(root, n)
        env = environment(office_dir, office_code="36.73", hub_url=hub.url, hub_token=token)
        with db.connection_context(), writing():
            db.execute_sql("DELETE FROM sync_state WHERE key = 'watermark'")  # start over for the new hub
        try:
            first.append(sync_figures(env))
            again.extend(sync_figures(env) for _ in range(3))
        finally:
            hub.stop()
    env = environment(office_dir, office_code="36.73")
    backups = []
    for n in range(args.repeat):
        wall, out = timed(env, "backup", "--keep", "3")
        size = int(re.search(r"\(([\d,]+) bytes", out).group(1).replace(",", ""))
        backups.append((wall, float(re.search(r"; ([\d.]+) s$", out.strip()).group(1)), size))

    def med(rows, i):
        return statistics.median(row[i] for row in rows)

    print(f"\n{'operation':34} {'wall s':>7} {'own s':>7} {'requests':>9} {'bytes sent':>13} {'bytes received':>15}")
    for label, rows in (("first sync (to an empty hub)", first), ("sync with nothing new", again)):
        print(f"{label:34} {med(rows, 0):7.2f} {med(rows, 1):7.2f} {med(rows, 2):9,.0f} {med(rows, 3):13,.0f} "
              f"{med(rows, 4):15,.0f}")
    print(f"{'kiosk backup (first: +evidence)':34} {backups[0][0]:7.2f} {backups[0][1]:7.2f} {'':9} "
          f"{'backup file':>13} {backups[0][2]:15,}")
    if len(backups) > 1:
        print(f"{'kiosk backup (again)':34} {med(backups[1:], 0):7.2f} {med(backups[1:], 1):7.2f} {'':9} "
              f"{'backup file':>13} {med(backups[1:], 2):15,.0f}")
    print(f"\nmedians of {args.repeat} first syncs (each to a new hub), {len(again)} no-change syncs, "
          f"{len(backups) - 1} repeat backups; wall s includes starting the kiosk command (~0.5 s), "
          f"own s is the command's own figure")
    if args.keep_data:
        print(f"data in {root}")
    else:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
