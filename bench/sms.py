"""`kiosk sms` against a burst of 1,000 messages waiting in gammu-smsd's inbox (files in its unicode
format, from 200 numbers): a mix of LAPOR reports (which make tips and subscribe to notices), STATUS checks,
operator messages and other text. Prints messages processed per second and what they became.

    make bench-sms     # or: .venv/bin/python bench/sms.py [--messages N] [--repeat N]

`kiosk sms` runs as the real `kiosk` process over a fresh data folder (the tests' template database, with
the offices' test keys); the seconds are its own, start-up included and then without (a second, empty run
is timed and subtracted). Each repeat starts from a new data folder; figures are medians.
"""
import argparse
import datetime as dt
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: tests.support

from tests.support.servers import BIN, environment  # noqa: E402
from tests.support.sms import deliver  # noqa: E402

from kiosk import tracking  # noqa: E402


START = dt.datetime(2026, 11, 20, 8, 0, 0)


def burst(inbox, count, rng):
    """`count` messages in the inbox: 40% LAPOR, 30% STATUS, 10% from the operator, 20% anything else."""
    for n in range(count):
        number = f"+62812{rng.randrange(10**7, 10**8)}" if n % 5 else f"+62857{n % 200:08d}"
        kind = rng.random()
        if kind < 0.4:
            text = f"LAPOR Pembagian amplop di TPS {n % 40 + 1} Desa Cipare oleh tim sukses, malam ke-{n}."
        elif kind < 0.7:
            text = f"STATUS {tracking.grouped(tracking.new_code())}"
        elif kind < 0.8:
            number, text = "TELKOMSEL", f"Sisa pulsa Anda Rp{n * 100}. Info *888#"
        else:
            text = f"Apakah boleh lapor lewat sini? ({n})"
        deliver(inbox, number, text, serial=n % 100, when=START + dt.timedelta(seconds=n))


def timed(env):
    started = time.perf_counter()
    result = subprocess.run([BIN / "kiosk", "sms"], env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    return time.perf_counter() - started, result.stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rates, lines = [], []
    for run in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            inbox, outbox = root / "inbox", root / "outbox"
            inbox.mkdir()
            outbox.mkdir()
            env = environment(root / "data", SMSD_INBOX=inbox, SMSD_OUTBOX=outbox,
                              SMS_MESSAGES_PER_DAY=10_000, SMS_REPORTS_PER_DAY=10_000)
            idle, _ = timed(env)  # start-up, and an empty inbox
            burst(inbox, args.messages, random.Random(run))
            waiting = len(list(inbox.iterdir()))
            seconds, line = timed(env)
            left = len(list(inbox.iterdir()))
            replies = len(list(outbox.iterdir()))
            rates.append(waiting / max(seconds - idle, 1e-9))
            lines.append(f"run {run + 1}: {waiting:,} files in {seconds:.2f} s ({idle:.2f} s of it start-up); "
                         f"{left} left, {replies:,} replies in the outbox; {line}")
    print("\n".join(lines))
    print(f"kiosk sms: {statistics.median(rates):,.0f} messages processed per second (median of {args.repeat}, "
          f"start-up excluded)")


if __name__ == "__main__":
    main()
