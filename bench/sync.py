"""Backup and replication at the size of a busy office: 10,000 reports (with witnesses and status
events) and 1,000 evidence files of 20-100 KB, or a season's 100,000 reports with 10,000 files. Prints the
seconds and bytes of the first sync to a fresh hub, of a normal night's sync (500 reports changed or new)
and of a sync with nothing new, then of `kiosk backup`.

    make bench-sync     # 10k (before and after, 3 runs each), then the 100k season once
    .venv/bin/python bench/sync.py [--reports N] [--files N] [--events N] [--repeat N] [--before DIR]
                                   [--no-backup] [--keep-data]

The office and the hub are real `kiosk` processes on 127.0.0.1 (no network latency: the seconds are
the software's own). Bytes are request and response bodies as sent (batches gzipped, files raw),
without HTTP headers (about 400 bytes a request). Figures are medians over --repeat runs; each first
sync goes to a new, empty hub, from a fresh copy of the office. The office is built once, in bulk, and
kept under /tmp/bench-sync-offices/ (its evidence linked into each copy). `--before DIR` runs the same
syncs with the code of another checkout (`git archive main | tar -x -C DIR`) first, for rows side by side.
"""
import argparse
import datetime as dt
import hashlib
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: tests.support

from tests.support import database as template_database  # noqa: E402
from tests.support import keys  # noqa: E402
from tests.support.servers import ROOT, Server, environment, kiosk  # noqa: E402

from kiosk import create_app, sealing, tracking  # noqa: E402
from kiosk import keys as crypto  # noqa: E402
from kiosk.db import db, writing  # noqa: E402
from kiosk.models import Counter, Evidence, Report, StatusEvent, Witness  # noqa: E402
from kiosk.sync import bulk  # noqa: E402

SUMMARY = re.compile(r"(\d[\d,]*) requests?, (\d[\d,]*) bytes sent, (\d[\d,]*) received, ([\d.]+) s")
CACHE = Path("/tmp/bench-sync-offices")
NIGHT = 500  # reports changed or new in a normal night: 450 moved on a status, 50 new with 10 files
# What issue 16 measured on main before this work (first sync to an empty hub).
ISSUE_16 = {10_000: "23-40 s", 100_000: "285-339 s (963k rows, 11,269 requests, 676 MB)"}


class Rows:
    """Rows of an office made in bulk, sealed as intake seals them (with the tests' keys), each with the
    next change number; evidence files (random bytes, locked) written to `evidence_dir`."""

    def __init__(self, evidence_dir, seq=0, seed=36_73):
        self.evidence_dir, self.seq, self.rng = Path(evidence_dir), seq, random.Random(seed)
        self.tables = {Report: [], Witness: [], Evidence: [], StatusEvent: []}

    def next(self):
        self.seq += 1
        return self.seq

    def event(self, report_id, status, at):
        self.tables[StatusEvent].append(dict(id=uuid.uuid4(), change_seq=self.next(), report=report_id,
                                             status=status, at=at, actor="system"))

    def report(self, n, at, with_file, events=1):
        """Report number `n` (from 0) filed at `at`, a witness for every third, a file when `with_file`,
        and `events` status events."""
        report_id, key = uuid.uuid4(), crypto.new_secret()
        person = {"reporter_name": "Siti Rahmawati", "reporter_nik": "3673015508900002",
                  "reporter_phone": "+6281234567890"}
        self.tables[Report].append(dict(
            personal=sealing.seal_fields(key, person, sealing.REPORT_FIELDS), reporter_nik_masked="3673********0002",
            key_office=crypto.seal(keys.public("36.73"), key), key_hub=crypto.seal(keys.HUB_KEY, key),
            id=report_id, change_seq=self.next(), office_code="36.73",
            receipt_no=f"{n % 100_000 + 1:05d}/PL/36.73/X/{2026 + n // 100_000}",
            tracking_code=tracking.new_code(), kind="formal" if n % 2 else "tip", channel="kiosk", submitted_at=at,
            kajian_awal_due=at.date() + dt.timedelta(days=2), declared_true=True, category="politik_uang",
            occurred_on=at.date(), learned_on=at.date(), regency_code="36.73", district_code="36.73.01",
            village_code="36.73.01.1001", place_detail="Dekat TPS 05, Jl. Maulana Yusuf",
            description="Tim sukses calon membagikan amplop berisi uang kepada warga sebelum pencoblosan. " * 3,
            terlapor_name="Tim Sukses Calon Nomor 3", terlapor_role="tim_kampanye", updated_at=at))
        if n % 3 == 0:
            witness = {"name": f"Saksi {n}", "address": "Cipare, Serang", "phone": "+6281311112222"}
            self.tables[Witness].append(dict(id=uuid.uuid4(), change_seq=self.next(), report=report_id,
                                             personal=sealing.seal_fields(key, witness, sealing.WITNESS_FIELDS)))
        if with_file:
            content = self.rng.randbytes(self.rng.randint(20_000, 100_000))
            file_key = crypto.new_secret()
            locked = crypto.lock_bytes(file_key, content)
            blob = hashlib.sha256(locked).hexdigest()
            (self.evidence_dir / blob).write_bytes(locked)
            fields = {"filename": f"foto-{n}.jpg", "sha256": hashlib.sha256(content).hexdigest(),
                      "key": crypto.b64(file_key)}
            self.tables[Evidence].append(dict(id=uuid.uuid4(), change_seq=self.next(), report=report_id, blob=blob,
                                              mime="image/jpeg", size=len(content),
                                              personal=sealing.seal_fields(key, fields, sealing.EVIDENCE_FIELDS)))
        for step in range(events):
            self.event(report_id, ("diterima", "kajian_awal")[step % 2], at + dt.timedelta(hours=step))
        return report_id

    def store(self):
        """Write the rows (one bulk upsert a table, as the hub applies a batch) and the change counter."""
        with writing():
            for model, items in self.tables.items():
                bulk.upsert(model, items, db.obj)
            Counter.insert(name="change", value=self.seq).on_conflict(
                conflict_target=[Counter.name], preserve=[Counter.value]).execute()
        return {model.__name__: len(items) for model, items in self.tables.items()}


def office_app(data_dir):
    return create_app({"DATA_DIR": str(data_dir), "OFFICE_CODE": "36.73", "HUB_KEY": keys.HUB_KEY})


def build_office(data_dir, reports, files, events):
    """An office of `reports` reports over two years, `files` of them with a file, `events` status events
    each; (row counts, evidence bytes)."""
    template_database.data_folder(template_database.template(), data_dir)
    app = office_app(data_dir)
    made = Rows(app.config["EVIDENCE_DIR"])
    every = max(1, reports // files) if files else 0
    start, step = dt.datetime(2024, 11, 30), dt.timedelta(minutes=max(1, 2 * 365 * 24 * 60 // max(reports, 1)))
    for n in range(reports):
        made.report(n, start + step * n, every and n % every == 0 and len(made.tables[Evidence]) < files, events)
    with db.connection_context():
        counts = made.store()
    return counts, sum(p.stat().st_size for p in Path(app.config["EVIDENCE_DIR"]).iterdir())


def cached_office(reports, files, events):
    """The folder of the office built for these sizes (built now when not yet under CACHE)."""
    folder = CACHE / f"office-{reports}-{files}-{events}"
    if not (folder / "built").exists():
        shutil.rmtree(folder, ignore_errors=True)
        began = time.monotonic()
        counts, evidence_bytes = build_office(folder / "data", reports, files, events)
        (folder / "built").write_text(f"{', '.join(f'{n:,} {name}' for name, n in counts.items())}; "
                                      f"evidence {evidence_bytes:,} bytes (built in {time.monotonic() - began:.1f} s)")
    return folder


def copy_office(folder, target):
    """A fresh copy of the cached office in `target`: its database copied, its evidence files linked."""
    shutil.copytree(folder / "data", target, copy_function=os.link, ignore=shutil.ignore_patterns("*.sqlite3*"))
    for name in ("kiosk.sqlite3", "kiosk.sqlite3-wal"):
        if (folder / "data" / name).exists():
            shutil.copy2(folder / "data" / name, target / name)
    return target


def night(data_dir, reports):
    """A normal night at the office: 450 reports moved on a status, 50 new ones (10 with a file)."""
    app = office_app(data_dir)
    with db.connection_context():
        made = Rows(app.config["EVIDENCE_DIR"], seq=Counter.get_by_id("change").value, seed=7)
        at = dt.datetime(2026, 12, 1, 9)
        moved = list(Report.select(Report.id).order_by(Report.change_seq.desc()).limit(NIGHT - 50).tuples())
        for n in range(50):
            made.report(reports + n, at + dt.timedelta(minutes=n), n % 5 == 0)
        for (report_id,) in moved:
            made.event(report_id, "kajian_awal", at)
        with writing():
            for (report_id,) in moved:
                Report.update(status="kajian_awal", updated_at=at, change_seq=made.next()).where(
                    Report.id == report_id).execute()
        made.store()


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


def fresh_hub(root, n, code=None):
    """A new empty hub server with office 36.73 registered, running `code` (a checkout; None: this one);
    (server, token). The hub of another checkout starts from a template database its own code migrated: this
    one's may hold columns that code does not know (and would not fill)."""
    if code:
        (root / f"template{n}").mkdir(parents=True)
        made = subprocess.run([sys.executable, "-c", "import sys; from tests.support import database; "
                               "database.build_template(sys.argv[1])", str(root / f"template{n}")],
                              env=dict(os.environ, PYTHONPATH=f"{code}:{ROOT}"),
                              cwd=root, capture_output=True, text=True)  # not ROOT: `-c` puts the cwd first
        if made.returncode:
            sys.exit(f"the template of {code} failed: {made.stderr.strip()[-500:]}")
        template_database.data_folder(root / f"template{n}" / template_database.FILE, root / f"hub{n}")
    hub = Server(root / f"hub{n}", role="hub", office_code="36")
    hub.env = with_code(hub.env, code)
    token = kiosk(hub.env, "hub-add-office", "--code", "36.73").stdout.strip().splitlines()[-1]
    hub.start()
    return hub, token


def with_code(env, code):
    """`env` running the checkout `code` (its modules before this one's)."""
    env = dict(env)
    if code:
        env["PYTHONPATH"] = str(code)
    return env


def run_syncs(folder, root, reports, repeat, code):
    """(first syncs, night syncs, syncs with nothing new) of `repeat` runs, each from a fresh copy of the
    office to a new hub, with the checkout `code`."""
    first, nightly, again = [], [], []
    for n in range(repeat):
        tag = f"{'before' if code else 'after'}{n}"
        office_dir = copy_office(folder, root / f"office-{tag}")
        hub, token = fresh_hub(root, tag, code)
        env = with_code(environment(office_dir, office_code="36.73", hub_url=hub.url, hub_token=token), code)
        try:
            first.append(sync_figures(env))
            night(office_dir, reports)
            nightly.append(sync_figures(env))
            again.append(sync_figures(env))
        finally:
            hub.stop()
        shutil.rmtree(office_dir)
    return first, nightly, again


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--events", type=int, default=1, help="status events per report")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", type=Path, default=None,
                        help="a checkout of the code before (e.g. main) to measure first, side by side")
    parser.add_argument("--no-backup", action="store_true", help="leave out kiosk backup")
    parser.add_argument("--keep-data", action="store_true", help="leave the hubs in /tmp")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-sync-"))

    folder = cached_office(args.reports, args.files, args.events)
    db_size = (folder / "data" / "kiosk.sqlite3").stat().st_size
    print(f"office: {(folder / 'built').read_text()}; database {db_size:,} bytes; cached in {folder}")

    codes = ([("before", args.before)] if args.before else []) + [("after", None)]
    runs = [(label, run_syncs(folder, root, args.reports, args.repeat, code)) for label, code in codes]

    def med(rows, i):
        return statistics.median(row[i] for row in rows)

    print(f"\n{'operation':38} {'code':>7} {'wall s':>7} {'own s':>7} {'requests':>9} {'bytes sent':>13} "
          f"{'bytes received':>15}")
    for index, operation in enumerate(("first sync (to an empty hub)", f"a night's sync ({NIGHT} reports)",
                                       "sync with nothing new")):
        for label, figures in runs:
            rows = figures[index]
            print(f"{operation:38} {label:>7} {med(rows, 0):7.2f} {med(rows, 1):7.2f} {med(rows, 2):9,.0f} "
                  f"{med(rows, 3):13,.0f} {med(rows, 4):15,.0f}")
    if args.reports in ISSUE_16:
        print(f"(issue 16 measured the first sync of {args.reports:,} reports on main at {ISSUE_16[args.reports]})")
    if not args.no_backup:
        office_dir = copy_office(folder, root / "office-backup")
        env = environment(office_dir, office_code="36.73")
        backups = []
        for n in range(args.repeat):
            wall, out = timed(env, "backup", "--keep", "3")
            size = int(re.search(r"\(([\d,]+) bytes", out).group(1).replace(",", ""))
            backups.append((wall, float(re.search(r"; ([\d.]+) s$", out.strip()).group(1)), size))
        print(f"{'kiosk backup (first: +evidence)':38} {'after':>7} {backups[0][0]:7.2f} {backups[0][1]:7.2f} "
              f"{'':9} {'backup file':>13} {backups[0][2]:15,}")
        if len(backups) > 1:
            print(f"{'kiosk backup (again)':38} {'after':>7} {med(backups[1:], 0):7.2f} {med(backups[1:], 1):7.2f} "
                  f"{'':9} {'backup file':>13} {med(backups[1:], 2):15,.0f}")
    print(f"\nmedians of {args.repeat} runs, each from a fresh copy of the office to a new hub; wall s includes "
          f"starting the kiosk command (~0.5 s), own s is the command's own figure")
    if args.keep_data:
        print(f"data in {root}")
    else:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
