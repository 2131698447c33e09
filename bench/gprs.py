"""The whole formal report (no evidence) over GPRS, in Chromium: bytes transferred and seconds spent,
first visit and repeat visit, with and without JavaScript.

    .venv/bin/python bench/gprs.py [--runs N]

The line is throttled with DevTools' network emulation: 50 kbit/s down, 20 kbit/s up, 500 ms round
trip. Bytes down are what crossed the line (compressed bodies plus headers) from DevTools' network
events; bytes up are estimated from the request headers and bodies. Network time is the time during
which at least one request was in flight (the union of their intervals); wall time adds the
browser automation's own clicking and typing. Targets: at most 60 KB for a first visit including
htmx, 25 KB for a repeat visit, 15 s of network time for the report.
"""
import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: tests.support

import tests.support.browser as browser_helpers  # noqa: E402
from tests.support.browser import ARGS, CHROMIUM  # noqa: E402
from tests.support.servers import free_port  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from waitress.server import create_server  # noqa: E402
from tests.support.walk import walk_formal  # noqa: E402
from tests.support import database, keys  # noqa: E402

from kiosk import create_app  # noqa: E402

GPRS = {"offline": False, "latency": 500, "downloadThroughput": 50_000 / 8, "uploadThroughput": 20_000 / 8}
TARGETS = {"first": (60_000, 15.0), "repeat": (25_000, 15.0)}


class Meter:
    """Counts the bytes of every request and response of a page through DevTools."""

    def __init__(self, context, page):
        self.session = context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.session.send("Network.emulateNetworkConditions", GPRS)
        self.down = self.up = self.requests = 0
        self.started, self.intervals = {}, []
        self.session.on("Network.loadingFinished", self._finished)
        self.session.on("Network.loadingFailed", self._finished)
        self.session.on("Network.requestWillBeSentExtraInfo", self._sent)
        self.session.on("Network.requestWillBeSent", self._body)

    def _finished(self, event):
        self.down += int(event.get("encodedDataLength", 0))
        if event["requestId"] in self.started:
            self.intervals.append((self.started.pop(event["requestId"]), event["timestamp"]))

    def _sent(self, event):
        # The request line and headers as sent (an estimate of their size on the wire).
        self.up += sum(len(k) + len(str(v)) + 4 for k, v in event["headers"].items()) + 20

    def _body(self, event):
        request = event["request"]
        if request["url"].startswith("data:"):
            return
        self.requests += 1
        self.started.setdefault(event["requestId"], event["timestamp"])
        self.up += sum(len(entry.get("bytes", "")) * 3 // 4 for entry in request.get("postDataEntries", []))

    def reset(self):
        self.down = self.up = self.requests = 0
        self.started, self.intervals = {}, []

    def network_seconds(self):
        """How long at least one request was in flight."""
        total, end = 0.0, None
        for start, stop in sorted(self.intervals):
            if end is None or start > end:
                total += stop - start
                end = stop
            elif stop > end:
                total += stop - end
                end = stop
        return total


def one_visit(context, page, meter, js):
    """Walk the report once; return (network seconds, wall seconds, bytes down, bytes up, requests)."""
    meter.reset()
    started = time.perf_counter()
    walk_formal(page, lambda page, name: None, js=js, errors=False, witness=False)
    wall = time.perf_counter() - started
    page.wait_for_timeout(300)  # let the last loadingFinished events arrive
    return meter.network_seconds(), wall, meter.down, meter.up, meter.requests


def run(browser, base_url, js):
    """A first visit in a fresh profile, then a repeat visit with what the browser cached."""
    context = browser.new_context(base_url=base_url, java_script_enabled=js, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(120_000)
    meter = Meter(context, page)
    first = one_visit(context, page, meter, js)
    page.click("form[data-finish] button")  # the person finishes; the next report is a repeat visit
    page.wait_for_load_state()
    repeat = one_visit(context, page, meter, js)
    context.close()
    return first, repeat


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each case; medians are printed")
    args = parser.parse_args()
    browser_helpers.WAIT_SECONDS = 120
    # A script fills the forms in instantly and repeatedly from one address: no minimum time, no limits.
    app = create_app({"DATA_DIR": database.scratch_folder("gprs-"), "MIN_FORM_SECONDS": 0, "RATE_LIMITS": False,
                      "HUB_KEY": keys.HUB_KEY})
    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for js in (True, False):
            for _ in range(args.runs):
                first, repeat = run(browser, base, js)
                results.setdefault((js, "first"), []).append(first)
                results.setdefault((js, "repeat"), []).append(repeat)
        browser.close()
    server.close()

    print(f"GPRS: 50 kbit/s down, 20 kbit/s up, 500 ms round trip; formal report, no evidence; "
          f"median of {args.runs} runs")
    print(f"{'case':28} {'network s':>9} {'wall s':>7} {'KB down':>8} {'KB up':>7} {'requests':>9}  targets")
    ok = True
    for (js, visit), runs in results.items():
        network, wall, down, up, requests = (statistics.median(r[i] for r in runs) for i in range(5))
        max_bytes, max_seconds = TARGETS[visit]
        meets = down <= max_bytes and network <= max_seconds
        ok = ok and meets
        label = f"{visit} visit, JavaScript {'on' if js else 'off'}"
        print(f"{label:28} {network:9.1f} {wall:7.1f} {down / 1000:8.1f} {up / 1000:7.1f} {requests:9.0f}  "
              f"<= {max_bytes // 1000} KB, <= {max_seconds:.0f} s: {'met' if meets else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
