"""`kiosk verify` on 10,000 evidence files of 20-100 KB (random bytes, as locked files are) with their copies
in the backup store: files/s and MB/s of a run that finds everything whole, then of one that finds 10 files
damaged and repairs them from the backup store.

    .venv/bin/python bench/verify.py [--files N] [--repeat N] [--keep-data]

`kiosk verify` runs as the operator runs it (a process, on a data folder made from the tests' template).
The files were just written, so they are read from the page cache: the figures are the hashing's and the
software's own, not the disk's (a cold disk at an office is slower: a SATA SSD reads ~500 MB/s, a hard disk
~150 MB/s). Figures are medians over --repeat runs.
"""
import argparse
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: tests.support

from tests.support.servers import environment, kiosk  # noqa: E402

from kiosk.store import FileStore  # noqa: E402

CHECKED = re.compile(r"([\d,]+) files? checked \(([\d,.]+) MB")


def build(data_dir, count):
    """`count` files in the evidence folder and the same in the backup store; their total bytes."""
    env = environment(data_dir)
    evidence, copies = FileStore(data_dir / "evidence"), FileStore(data_dir / "backups" / "evidence")
    rng = random.Random(3673)
    total = 0
    for _ in range(count):
        data = rng.randbytes(rng.randint(20_000, 100_000))
        sha, size = evidence.put_bytes(data)
        shutil.copyfile(evidence.path(sha), copies.path(sha))
        total += size
    return env, evidence, total


def damage(evidence, count):
    """Flip a byte in `count` files of the evidence folder (size and mtime kept, as a failing disk does)."""
    for sha in evidence.hashes()[:count]:
        path = evidence.path(sha)
        stat = path.stat()
        raw = bytearray(path.read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        path.write_bytes(bytes(raw))
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def timed(env, expect):
    """(seconds, files checked, MB checked, its line) of one `kiosk verify`, whose stdout must contain `expect`."""
    started = time.monotonic()
    result = kiosk(env, "verify", timeout=1800)
    seconds = time.monotonic() - started
    assert result.returncode == 0 and expect in result.stdout, result.stdout + result.stderr
    files, megabytes = CHECKED.search(result.stdout).groups()
    return seconds, int(files.replace(",", "")), float(megabytes.replace(",", "")), result.stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep-data", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-verify-"))
    try:
        env, evidence, total = build(folder / "office", args.files)
        print(f"{args.files:,} evidence files, {total / 1e6:,.1f} MB, and as many copies in the backup store")
        whole = [timed(env, "verify ok") for _ in range(args.repeat)]
        repairs = []
        for _ in range(args.repeat):
            damage(evidence, 10)
            repairs.append(timed(env, "10 repaired from the backup store"))
        for label, runs in (("all whole", whole), ("10 damaged, repaired", repairs)):
            seconds = statistics.median(run[0] for run in runs)
            files, megabytes = runs[0][1], runs[0][2]
            print(f"kiosk verify, {label}: {seconds:.2f} s (median of {len(runs)}, process start included) for "
                  f"{files:,} files, {megabytes:,.0f} MB: {files / seconds:,.0f} files/s, {megabytes / seconds:,.0f} MB/s")
            print(f"  its own line, last run: {runs[-1][3]}")
    finally:
        if args.keep_data:
            print(f"data kept in {folder}")
        else:
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
