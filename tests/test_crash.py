"""The server killed with SIGKILL in the middle of a burst of submissions, twice: after each restart
the database passes `PRAGMA integrity_check`, every receipt a person was handed is in it, and every
report in it is whole (its first status event, its one witness, its evidence file when one was sent).
Each report is one IMMEDIATE transaction (kiosk.lapor.submit), so a kill leaves it all or nothing."""
import contextlib
import io
import re
import sqlite3
import threading
import time

import pytest
from PIL import Image

from tests.support.sealed import witness_names
from tests.support.citizen import Citizen, submit, walk_to_review
from tests.support.servers import LiveClient, Server, database, query, stored_files

pytestmark = pytest.mark.process  # a real `kiosk serve`, killed with SIGKILL

CLIENTS = 12
RECEIPT = re.compile(r'class="tracking-code">(.*?)</p>', re.S)
WITNESS = re.compile(r"^Saksi (\d+)-(\d+) bukti(\d)$")


def photo(seed):
    """A small PNG of its own (its own hash)."""
    buffer = io.BytesIO()
    Image.new("RGB", (16 + seed % 50, 12), (seed % 256, seed // 256 % 256, 7)).save(buffer, "PNG")
    return buffer.getvalue()


class Burst:
    """CLIENTS people filing reports as fast as they can until the server goes away; `receipts`
    holds the tracking code of every receipt page that reached a person."""

    def __init__(self, url, round_no):
        self.url, self.round_no = url, round_no
        self.receipts, self.lock = [], threading.Lock()
        self.threads = [threading.Thread(target=self.person, args=(n,), daemon=True) for n in range(CLIENTS)]

    def person(self, number):
        for attempt in range(1000):
            try:
                self.file_one(number, attempt)
            except Exception:  # the server was killed under us: this person stops
                return

    def file_one(self, number, attempt):
        seed = (self.round_no * 100 + number) * 1000 + attempt
        with_file = attempt % 3 == 0
        citizen = Citizen(LiveClient(self.url))
        citizen.get(f"/lapor/kejadian?jenis={'formal' if attempt % 2 else 'tip'}")
        if with_file:
            citizen.post("/lapor/bukti", {"action": "upload", "files": [(io.BytesIO(photo(seed)), f"foto-{seed}.png")]},
                         content_type="multipart/form-data")
        witness = {"witness_name": f"Saksi {self.round_no}-{seed} bukti{int(with_file)}", "witness_phone": "0813 1111 2222"}
        walk_to_review(citizen, kind="formal" if attempt % 2 else "tip", witnesses=[witness])
        page = submit(citizen)[0].get_data(as_text=True)
        code = re.sub(r"\D", "", RECEIPT.search(page).group(1))
        assert len(code) == 16
        with self.lock:
            self.receipts.append(code)

    def run_until_killed(self, server, receipts_before_kill):
        for thread in self.threads:
            thread.start()
        deadline = time.monotonic() + 60
        while len(self.receipts) < receipts_before_kill and time.monotonic() < deadline:
            time.sleep(0.05)
        server.process.kill()  # SIGKILL: no handler runs, nothing is flushed by the server
        server.process.wait()
        for thread in self.threads:
            thread.join(timeout=30)
        return list(self.receipts)


def integrity(data_dir):
    with contextlib.closing(sqlite3.connect(database(data_dir))) as conn:
        return conn.execute("PRAGMA integrity_check").fetchall()


def check_every_report_is_whole(data_dir):
    """Each report has its first status event, one witness naming what was sent, and that evidence."""
    reports = query(data_dir, "SELECT id, submit_key FROM report")
    events = dict(query(data_dir, "SELECT report_id, count(*) FROM status_event WHERE status = 'diterima' "
                                  "GROUP BY report_id"))
    witnesses = {}
    rows = query(data_dir, "SELECT w.report_id, r.office_code, r.key_office, w.personal FROM witness w "
                           "JOIN report r ON r.id = w.report_id")
    for (report_id, *_), name in zip(rows, witness_names([row[1:] for row in rows])):  # sealed: opened with test keys
        witnesses.setdefault(report_id, []).append(name)
    evidence = dict(query(data_dir, "SELECT report_id, count(*) FROM evidence GROUP BY report_id"))
    for report_id, submit_key in reports:
        assert events.get(report_id) == 1, "a report without its first status event"
        (name,) = witnesses[report_id]
        expected_files = int(WITNESS.match(name).group(3))
        assert evidence.get(report_id, 0) == expected_files, f"{name}: evidence rows missing"
        assert not query(data_dir, "SELECT 1 FROM draft WHERE id = ?", submit_key), "the draft outlived its report"
    files = stored_files(data_dir)
    for (sha256,) in query(data_dir, "SELECT blob FROM evidence"):
        assert files.get(sha256) == sha256, "an evidence row whose file is missing or damaged"
    assert not query(data_dir, "SELECT 1 FROM witness WHERE report_id NOT IN (SELECT id FROM report)")
    assert not query(data_dir, "SELECT 1 FROM status_event WHERE report_id NOT IN (SELECT id FROM report)")
    return len(reports)


def test_sigkill_during_a_burst_of_submissions_loses_nothing_handed_out(tmp_path):
    data_dir = tmp_path / "office"
    server = Server(data_dir, min_form_seconds=0, rate_limits=0)
    handed_out = []
    try:
        for round_no in (1, 2):
            server.start()
            handed_out += Burst(server.url, round_no).run_until_killed(server, receipts_before_kill=8 * round_no)
            assert integrity(data_dir) == [("ok",)]
            stored = {code for (code,) in query(data_dir, "SELECT tracking_code FROM report")}
            assert set(handed_out) <= stored, "a receipt was handed out for a report that is not stored"
            assert len(handed_out) == len(set(handed_out))
            assert check_every_report_is_whole(data_dir) == len(stored) >= len(handed_out)
            print(f"round {round_no}: {len(handed_out)} receipts handed out, {len(stored)} reports stored")

        # The office opens again as if nothing happened: it serves, and a new report goes through.
        server.start()
        assert server.healthz()["reports"] == len(stored)
        citizen = Citizen(LiveClient(server.url))
        walk_to_review(citizen, kind="tip", witnesses=[{"witness_name": "Saksi 3-0 bukti0"}])
        assert "tracking-code" in submit(citizen)[0].get_data(as_text=True)
        assert check_every_report_is_whole(data_dir) == len(stored) + 1
    finally:
        server.stop()
