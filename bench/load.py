"""Load: CLIENTS people file complete reports at once, for SECONDS, against a real `kiosk serve` on
127.0.0.1. Prints reports and requests per second, latency per request and per report (p50, p95,
p99), the errors, and checks that the database holds exactly the reports whose receipts the clients
got. Then the same server's throughput on a trivial page (the landing page) with the same number of
clients, and the ratio between the two.

    make bench-load     # or: .venv/bin/python bench/load.py [--clients 50] [--seconds 60] [--threads N]

Each client is a thread with one kept-alive HTTP/1.1 connection, as a phone with JavaScript goes
through the report: the first step's page, then each step posted with htmx (the answer is the next
step: one round trip), the review, the send and its receipt, 8 requests; half formal reports, half
tips, each with a witness. No waiting between requests: this is the server at full stretch, not a
day at the office. Rate limits and the minimum time are off (KIOSK_RATE_LIMITS=0,
KIOSK_MIN_FORM_SECONDS=0); the database keeps synchronous=FULL and IMMEDIATE transactions. The
machine is shared: figures are of one run.
"""
import argparse
import http.client
import os
import re
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: tests.support

from tests.support.citizen import REPORTER, TERLAPOR, event_answers  # noqa: E402
from tests.support.servers import Server  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SUBMIT_KEY = re.compile(r'name="submit_key" value="([^"]+)"')
TRACKING = re.compile(r'class="tracking-code">(.*?)</p>', re.S)
HTMX = {"HX-Request": "true", "HX-Current-URL": "http://127.0.0.1/lapor/"}


class Failed(Exception):
    """A request that did not give what a person would expect."""


class Client:
    """A browser with JavaScript on a kept-alive connection: cookies, and htmx's header on posts."""

    def __init__(self, port, latencies):
        self.port, self.latencies = port, latencies
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""

    def request(self, method, path, form=None, htmx=False, step=""):
        """One round trip; its latency is recorded under `step`. Returns the body as text."""
        headers = dict(HTMX) if htmx else {}
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        began = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()  # a new connection next time
            raise Failed(f"{method} {path}: {type(error).__name__}") from error
        self.latencies.append((step, time.perf_counter() - began))
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        if response.status != 200:
            raise Failed(f"{method} {path}: {response.status}")
        return data.decode()

    def file_report(self, number):
        """File one complete report; returns its tracking code (16 digits) from the receipt."""
        self.cookie = ""  # a new person: a new session
        kind = "formal" if number % 2 else "tip"
        page = self.request("GET", f"/lapor/kejadian?jenis={kind}", step="start")
        token = {"csrf_token": CSRF.search(page).group(1)}
        self.request("POST", "/lapor/kejadian", dict(event_answers(), **token), htmx=True, step="kejadian")
        self.request("POST", "/lapor/terlapor", dict(TERLAPOR, **token), htmx=True, step="terlapor")
        self.request("POST", "/lapor/saksi", dict(token, witness_name=f"Saksi {number}", witness_phone="0813 1111 2222",
                                                  action="add"), htmx=True, step="saksi")
        self.request("POST", "/lapor/saksi", dict(token, action="next"), htmx=True, step="saksi")
        self.request("POST", "/lapor/bukti", dict(token, action="next"), htmx=True, step="bukti")
        if kind == "formal":
            review = self.request("POST", "/lapor/pelapor", dict(REPORTER, **token), htmx=True, step="pelapor")
        else:
            review = self.request("POST", "/lapor/kontak", dict(token, action="next"), htmx=True, step="kontak")
        key = SUBMIT_KEY.search(review)
        if key is None:
            raise Failed("the review has no send button")
        receipt = self.request("POST", "/lapor/kirim", dict(token, submit_key=key.group(1), declared_true="y",
                                                              action="send"), htmx=True, step="kirim")
        found = TRACKING.search(receipt)
        if found is None:
            raise Failed("no tracking code on the receipt")
        return re.sub(r"\D", "", found.group(1))


def reporting(port, until, results, number):
    """One client filing reports until `until`."""
    latencies, receipts, reports, errors = [], [], [], []
    client = Client(port, latencies)
    attempt = 0
    while time.perf_counter() < until:
        attempt += 1
        began = time.perf_counter()
        try:
            receipts.append(client.file_report(number * 100_000 + attempt))
            reports.append(time.perf_counter() - began)
        except Failed as failure:
            errors.append(str(failure))
    results[number] = (latencies, receipts, reports, errors)


def trivial(port, until, results, number):
    """One client asking for the landing page until `until`."""
    latencies, errors = [], []
    client = Client(port, latencies)
    while time.perf_counter() < until:
        try:
            client.request("GET", "/", step="landing")
        except Failed as failure:
            errors.append(str(failure))
    results[number] = (latencies, [], [], errors)


def cpu_seconds(pid=None):
    """CPU seconds (user + system) used so far by process `pid`, or by this one."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(target, port, clients, seconds):
    """`clients` threads running `target` for `seconds`; their results, merged, and the wall time."""
    results = [None] * clients
    began = time.perf_counter()
    until = began + seconds
    threads = [threading.Thread(target=target, args=(port, until, results, n)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    merged = [[], [], [], []]
    for result in results:
        for into, part in zip(merged, result):
            into.extend(part)
    return merged, wall


def ms(values, q):
    """The q-th percentile of `values` (seconds) in milliseconds."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def line(label, values):
    return (f"{label:24} p50 {ms(values, 50):6.0f} ms   p95 {ms(values, 95):6.0f} ms   p99 {ms(values, 99):6.0f} ms"
            f"   max {max(values) * 1000 if values else float('nan'):6.0f} ms")


def check_database(path, receipts):
    """(reports stored, handed out but missing, stored twice, integrity) from the SQLite file."""
    with sqlite3.connect(path) as conn:
        stored = [code for (code,) in conn.execute("SELECT tracking_code FROM report")]
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    missing = len(set(receipts) - set(stored))
    doubled = len(receipts) - len(set(receipts)) + len(stored) - len(set(stored))
    return len(stored), missing, doubled, integrity


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--trivial-seconds", type=float, default=10)
    parser.add_argument("--threads", type=int, default=None, help="KIOSK_THREADS for the server (default: its own)")
    parser.add_argument("--keep-data", action="store_true", help="leave the office's data folder in /tmp")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="kiosk-load-"))
    settings = {"min_form_seconds": 0, "rate_limits": 0}
    if args.threads:
        settings["threads"] = args.threads
    server = Server(root / "office", **settings)
    server.start()
    try:
        cpu = cpu_seconds(server.process.pid), cpu_seconds()
        (latencies, receipts, reports, errors), wall = run(reporting, server.port, args.clients, args.seconds)
        cpu = cpu_seconds(server.process.pid) - cpu[0], cpu_seconds() - cpu[1]
        time.sleep(0.5)
        (trivial_latencies, _, _, trivial_errors), trivial_wall = run(trivial, server.port, args.clients,
                                                                      args.trivial_seconds)
    finally:
        server.stop()
    threads = args.threads or "default (KIOSK_THREADS, 8)"
    print(f"kiosk serve on 127.0.0.1, waitress threads: {threads}; {args.clients} clients; {wall:.1f} s of reports")
    requests = [seconds for _, seconds in latencies]
    print(f"reports filed:          {len(receipts):,} ({len(receipts) / wall:.1f}/s)")
    print(f"requests:               {len(requests):,} ({len(requests) / wall:.1f}/s), "
          f"{len(requests) / max(len(receipts), 1):.1f} per report")
    print(f"errors:                 {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(line("latency per request", requests))
    print(line("latency per report", reports))
    for step in ("start", "kejadian", "terlapor", "saksi", "bukti", "pelapor", "kontak", "kirim"):
        print(line(f"  {step}", [seconds for name, seconds in latencies if name == step]))
    print(f"CPU, of {os.cpu_count()} cores:    server {100 * cpu[0] / wall:.0f}% of one core (one process: Python "
          f"runs one thread at a time), these clients {100 * cpu[1] / wall:.0f}%")
    stored, missing, doubled, integrity = check_database(root / "office" / "kiosk.sqlite3", receipts)
    print(f"database:               {stored:,} reports for {len(receipts):,} receipts; missing {missing}, "
          f"doubled {doubled}, integrity {integrity}")
    if stored > len(receipts):
        print(f"                        ({stored - len(receipts)} sent when the time ran out, receipt not awaited)")
    trivial_requests = [seconds for _, seconds in trivial_latencies]
    print(f"trivial page (/):       {len(trivial_requests):,} requests in {trivial_wall:.1f} s "
          f"({len(trivial_requests) / trivial_wall:.1f}/s), errors {len(trivial_errors)}")
    print(line("latency trivial page", trivial_requests))
    ratio = (len(trivial_requests) / trivial_wall) / max(len(requests) / wall, 1e-9)
    print(f"ratio:                  the trivial page is served {ratio:.1f}x as fast as the report's requests "
          f"({len(requests) / wall:.1f} vs {len(trivial_requests) / trivial_wall:.1f} requests/s)")
    if args.keep_data:
        print(f"data in {root}")
    else:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
