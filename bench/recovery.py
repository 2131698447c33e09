"""Disaster recovery at the size of a busy office: 10,000 reports (1,000 evidence files) synced to a hub,
a backup, then 30 more reports with a photo each filed through the real flow and synced. Prints the seconds
of `kiosk restore` of the backup with its recovery of the 30 from the hub, and of `kiosk recover-from-hub`
into a new install (all 10,030 reports and their files).

    .venv/bin/python bench/recovery.py [--reports N] [--files N] [--after N] [--keep-data]

The office and the hub are real `kiosk` processes on 127.0.0.1 (no network latency: the seconds are the
software's own, process start and the evidence check included).
"""
import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: tests.support, bench

from bench.sync import build_office, fresh_hub, timed  # noqa: E402
from tests.support.servers import (environment, evidence_hashes, office_script, query,  # noqa: E402
                                   replicated, stored_files)


def same_as_the_hub(data_dir, hub_dir):
    """Whether the office holds the hub's (uuid, change) sets of every table and every evidence file, whole."""
    mine, theirs = replicated(data_dir), replicated(hub_dir)
    files = stored_files(data_dir)
    return all(mine[t] == theirs[t] for t in mine) and all(files.get(sha) == sha for sha in evidence_hashes(hub_dir))


def count(data_dir):
    """Reports and evidence rows in a data folder."""
    return [query(data_dir, f"SELECT count(*) FROM {table}")[0][0] for table in ("report", "evidence")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--after", type=int, default=30)
    parser.add_argument("--keep-data", action="store_true", help="leave the office and hub in /tmp")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-recovery-"))
    office_dir = root / "office"
    build_office(office_dir, args.reports, args.files)
    hub, token = fresh_hub(root, 0)
    try:
        env = environment(office_dir, office_code="36.73", hub_url=hub.url, hub_token=token)
        timed(env, "sync")
        timed(env, "backup")
        [backup] = sorted((office_dir / "backups").glob("kiosk-*.sqlite3"))
        office_script(env, "file", office_dir, args.after, 1)
        timed(env, "sync")
        hub_dir = Path(hub.env["KIOSK_DATA_DIR"])
        print(f"office: {count(office_dir)[0]:,} reports, {count(office_dir)[1]:,} evidence files, all at the hub; "
              f"the backup holds {args.reports:,}")

        for path in (office_dir / "kiosk.sqlite3", office_dir / "evidence"):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{office_dir / 'kiosk.sqlite3'}{suffix}").unlink(missing_ok=True)
        seconds, out = timed(env, "restore", str(backup))
        assert count(office_dir)[0] == args.reports + args.after and same_as_the_hub(office_dir, hub_dir), out
        print(f"kiosk restore + recovery of the {args.after} reports after the backup: {seconds:.2f} s "
              "(the office then holds the hub's (uuid, change) sets and evidence hashes)")
        print(f"  {out.strip().splitlines()[-1]}")

        fresh = root / "new-install"
        fresh_env = environment(fresh, office_code="36.73", hub_url=hub.url, hub_token=token)
        seconds, out = timed(fresh_env, "recover-from-hub")
        assert count(fresh)[0] == args.reports + args.after and same_as_the_hub(fresh, hub_dir), out
        print(f"kiosk recover-from-hub into a new install, {args.reports + args.after:,} reports: {seconds:.2f} s "
              "(the same sets and hashes)")
        print(f"  {out.strip()}")
    finally:
        hub.stop()
        if args.keep_data:
            print(f"data kept in {root}")
        else:
            shutil.rmtree(root)


if __name__ == "__main__":
    main()
