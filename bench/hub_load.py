"""50 offices syncing a night's changes into one hub at once, on a SQLite hub and on a PostgreSQL hub in the
same run. Prints, for each: batches, rows, seconds, batches/s, median and p95 batch latency, errors (goal 0).

    make bench-hub      # or: .venv/bin/python bench/hub_load.py [--offices 50] [--reports 60] [--batch 100]
                        #     [--concurrency 10] [--nights-before 1] [--kinds sqlite,postgresql]

The hub is a real `kiosk serve` (KIOSK_ROLE=hub, its 8 threads) on 127.0.0.1; PostgreSQL is a cluster of the
bench's own (initdb + pg_ctl in a temporary folder, as the tests start it, but with fsync and synchronous
commits on, as SQLite keeps its synchronous=FULL: both wait for the disk at each commit). Each office sends its
night (`--reports` new reports, each with a witness and two status events) as the sync client does: signed
batches of `--batch` rows, one after the other, each acknowledged before the next. `--concurrency` offices send
at the same time (the offices' timers start at 02:00; the hub's threads are few). Only the last night is
timed: `--nights-before` nights go first the same way, then ANALYZE, as a hub's tables are after its first
days (a new hub's first minutes, its tables empty and not analyzed yet, are no night's figure). The offices
are written into the hub's office table directly (`kiosk hub-add-office` knows Banten's 8 only): those 8, and
42 made-up codes 36.05… standing in for a larger province. A batch answered other than 200, or with fewer
rows applied than sent, is an error; so is a row the hub does not hold at the end.
"""
import argparse
import concurrent.futures
import json
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

# The repository (tests.support) in place of bench/, whose queue.py would stand for the standard library's.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from tests.support import postgres  # noqa: E402
from tests.support.servers import Server, environment, execute, query  # noqa: E402

from kiosk import create_app, tracking  # noqa: E402
from kiosk.db import db, writing  # noqa: E402
from kiosk.sync.models import HubOffice  # noqa: E402
from kiosk.sync.signing import canonical_json, new_token, public_key, sign  # noqa: E402

SEALED = "c2VhbGVkIGJ5IHRoZSBvZmZpY2U="  # a sealed field as the hub sees it: base64 it cannot open


def office_codes(count):
    """Banten's 8 offices, then made-up codes 36.05… for the rest (an office's code is NN.NN)."""
    real = ["36.01", "36.02", "36.03", "36.04", "36.71", "36.72", "36.73", "36.74"]
    return (real + [f"36.{n:02d}" for n in range(5, 71)])[:count]


def night(code, reports, batch_rows, start=0):
    """An office's night as the batches its sync sends: reports, each with a witness and two status events;
    its change numbers follow `start` (the last of the night before)."""
    rows, seq = [], start
    for n in range(start // 4, start // 4 + reports):
        report_id = uuid.uuid4().hex
        seq += 1
        rows.append(("report", {
            "id": report_id, "change_seq": seq, "office_code": code, "receipt_no": f"{n + 1:04d}/PL/{code}/XII/2026",
            "tracking_code": tracking.new_code(), "kind": "formal", "channel": "kiosk",
            "submitted_at": "2026-12-01T13:00:00", "kajian_awal_due": "2026-12-03", "category": "politik_uang",
            "occurred_on": "2026-12-01", "learned_on": "2026-12-01", "regency_code": "36.73",
            "district_code": "36.73.01", "description": "Tim sukses membagikan amplop berisi uang kepada warga. " * 4,
            "personal": SEALED, "key_office": SEALED, "key_hub": SEALED, "updated_at": "2026-12-01T13:00:00"}))
        seq += 1
        rows.append(("witness", {"id": uuid.uuid4().hex, "change_seq": seq, "report": report_id, "personal": SEALED}))
        for status in ("diterima", "kajian_awal"):
            seq += 1
            rows.append(("status_event", {"id": uuid.uuid4().hex, "change_seq": seq, "report": report_id,
                                          "status": status, "at": "2026-12-01T13:00:00", "actor": "petugas"}))
    batches, after = [], start
    for first in range(0, len(rows), batch_rows):
        chunk = rows[first:first + batch_rows]
        grouped = {}
        for table, row in chunk:
            grouped.setdefault(table, []).append(row)
        upto = chunk[-1][1]["change_seq"]
        batches.append({"after": after, "upto": upto, "final": first + batch_rows >= len(rows), "rows": grouped})
        after = upto
    return batches, len(rows)


def send(url, token, code, payload):
    """(seconds, error or None) of one signed batch."""
    body = canonical_json(payload)
    headers = sign(token, "POST", "batch", code, body)
    request = urllib.request.Request(f"{url}/api/sync/batch", data=body, method="POST", headers=headers)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
    except urllib.error.HTTPError as error:
        return time.perf_counter() - started, f"{error.code} {error.read()[:200].decode(errors='replace')}"
    except (urllib.error.URLError, OSError) as error:
        return time.perf_counter() - started, str(error)
    seconds = time.perf_counter() - started
    sent = sum(len(rows) for rows in payload["rows"].values())
    if answer.get("applied", 0) + answer.get("skipped", 0) != sent:
        return seconds, f"applied {answer.get('applied')} of {sent}"
    return seconds, None


def sync_office(url, token, code, batches):
    """Send an office's batches in order; [(seconds, error)]."""
    results = []
    for payload in batches:
        results.append(send(url, token, code, payload))
        if results[-1][1]:
            break  # the client stops at a refused batch and tries again the next night
    return results


def register(data_dir, database_url, codes):
    """The offices in the hub's table, with the public keys of new tokens; {code: token}."""
    tokens = {code: new_token() for code in codes}
    config = {"DATA_DIR": str(data_dir), "ROLE": "hub", "OFFICE_CODE": "36"}
    if database_url:
        config["DATABASE_URL"] = database_url
    create_app(config)
    with db.connection_context(), writing():
        HubOffice.insert_many([{"code": code, "public_key": public_key(token)} for code, token in tokens.items()]
                              ).execute()
    db.obj.close_all()
    return tokens


def run(kind, cluster, args):
    """Start a hub on `kind`, let the offices sync, stop it; the figures."""
    folder = Path(tempfile.mkdtemp(prefix=f"kiosk-hubload-{kind}-")) / "hub"
    database_url = cluster.new_database() if kind == "postgresql" else ""
    settings = {"database_url": database_url} if database_url else {}
    environment(folder, role="hub", office_code="36", **settings)  # the data folder, from the template
    codes = office_codes(args.offices)
    tokens = register(folder, database_url, codes)
    hub = Server(folder, role="hub", office_code="36", rate_limits=0, **settings)
    hub.startup = 120  # a shared machine under load may take longer than a test allows
    hub.start()
    sent, errors = 0, []
    try:
        with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
            for number in range(args.nights_before + 1):
                nights = {code: night(code, args.reports, args.batch, start=number * args.reports * 4)
                          for code in codes}
                if number == args.nights_before:
                    # The tables as a hub's are after a few nights: analyzed (PostgreSQL's autovacuum does it
                    # within a minute of the changes; SQLite's `kiosk serve` on start and nightly).
                    execute(folder, "ANALYZE")
                    started = time.perf_counter()
                done = list(pool.map(lambda code: sync_office(hub.url, tokens[code], code, nights[code][0]), codes))
                errors += [error for results in done for _, error in results if error]
                sent += sum(rows for _, rows in nights.values())
        seconds = time.perf_counter() - started
    finally:
        hub.stop()
    latencies = [s for results in done for s, _ in results]
    held = sum(query(folder, f"SELECT count(*) FROM {table}")[0][0] for table in ("report", "witness", "status_event"))
    if held != sent:
        errors.append(f"the hub holds {held} rows of {sent}")
    tonight = sum(rows for _, rows in nights.values())
    return {"kind": kind, "batches": len(latencies), "rows": tonight, "seconds": seconds,
            "per_second": len(latencies) / seconds, "p50": statistics.median(latencies) * 1000,
            "p95": statistics.quantiles(latencies, n=20)[18] * 1000, "errors": errors}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offices", type=int, default=50)
    parser.add_argument("--reports", type=int, default=60, help="new reports an office sends in its night")
    parser.add_argument("--batch", type=int, default=100, help="rows a batch")
    parser.add_argument("--concurrency", type=int, default=10, help="offices sending at the same time")
    parser.add_argument("--nights-before", type=int, default=1, help="nights synced (not timed) before the one timed")
    parser.add_argument("--kinds", default="sqlite,postgresql")
    args = parser.parse_args()
    kinds = args.kinds.split(",")
    cluster = postgres.Cluster(durable=True).start().build_template() if "postgresql" in kinds else None
    try:
        figures = [run(kind, cluster, args) for kind in kinds]
    finally:
        if cluster:
            cluster.stop()
    print(f"{args.offices} offices x {args.reports} reports ({args.reports * 4} rows a night, batches of "
          f"{args.batch} rows), {args.concurrency} at a time, into one `kiosk serve` hub on 127.0.0.1 holding "
          f"{args.nights_before} night(s) before")
    print(f"{'hub on':<12}{'batches':>8}{'rows':>8}{'seconds':>9}{'batches/s':>11}{'p50 ms':>8}{'p95 ms':>8}"
          f"{'errors':>8}")
    for f in figures:
        print(f"{f['kind']:<12}{f['batches']:>8}{f['rows']:>8}{f['seconds']:>9.1f}{f['per_second']:>11.1f}"
              f"{f['p50']:>8.0f}{f['p95']:>8.0f}{len(f['errors']):>8}")
        for error in f["errors"][:5]:
            print(f"  {f['kind']}: {error}")
    if any(f["errors"] for f in figures):
        sys.exit(1)


if __name__ == "__main__":
    main()
