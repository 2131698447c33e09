"""The benchmarks' bulk builders write rows straight through sqlite3, past the models: a column added by a
migration must reach them too, or a bench on a new machine fails before it measures anything."""
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import growth  # noqa: E402


def test_the_growth_office_builds_at_the_newest_schema_and_its_pages_open(tmp_path):
    growth.build_office(tmp_path, 120)
    with sqlite3.connect(tmp_path / "kiosk.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM report").fetchone() == (120,)
    sample = growth.samples(tmp_path)
    client = growth.signed_in(growth.office_app(tmp_path))
    page = client.get(f"/staff/laporan/{sample['id']}")
    assert page.status_code == 200
    with sqlite3.connect(tmp_path / "kiosk.sqlite3") as conn:
        receipt, = conn.execute("SELECT receipt_no FROM report WHERE tracking_code = ?", (sample["code"],)).fetchone()
    assert receipt in page.get_data(as_text=True)
    listed = client.get(f"/staff/?start={sample['today'].isoformat()}").get_data(as_text=True)
    assert listed.count("/staff/laporan/") >= 30  # today's 30 reports (a quarter of a small office)
