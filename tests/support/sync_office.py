"""An office's data made the way a citizen and staff make it, for the replication tests, run as a
separate process beside a live server (peewee's database handle is one per process):

    python -m tests.support.sync_office file DATA_DIR COUNT [EVIDENCE_EVERY]   # file COUNT reports via the flow
    python -m tests.support.sync_office review DATA_DIR COUNT                  # move COUNT reports to kajian awal

(from the repository's root, as tests.support.servers.office_script runs it).

Reports go through the real report flow (forms, evidence checks, the submit transaction) on the
app's test client; evidence files are small random JPEGs, each distinct."""
import io
import sys

from PIL import Image

from kiosk import create_app
from kiosk.db import db, writing
from kiosk.models import Report, StatusEvent, utcnow
from tests.support.citizen import Citizen, submit, walk_to_review


def photo(seed):
    """A small JPEG with random content (so each has its own hash)."""
    buffer = io.BytesIO()
    Image.effect_noise((64 + seed % 7, 48), 64).convert("RGB").save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def file_reports(app, count, evidence_every=0):
    """File `count` reports, alternating formal and tip, a witness on every third, a photo on every
    `evidence_every`th. Returns the receipts' tracking codes."""
    for n in range(count):
        citizen = Citizen(app.test_client())
        kind = "formal" if n % 2 == 0 else "tip"
        citizen.get(f"/lapor/kejadian?jenis={kind}")
        if evidence_every and n % evidence_every == 0:
            data = {"action": "upload", "files": [(io.BytesIO(photo(n)), f"foto-{n}.jpg")]}
            citizen.post("/lapor/bukti", data, content_type="multipart/form-data")
        witnesses = [{"witness_name": f"Saksi {n}", "witness_phone": "0813 1111 2222"}] if n % 3 == 0 else []
        walk_to_review(citizen, kind=kind, witnesses=witnesses)
        submit(citizen)


def review(count):
    """Staff take the first `count` reports into initial review: a status change and an event."""
    with db.connection_context():
        for report in Report.select().order_by(Report.submitted_at).limit(count):
            with writing():
                report.status, report.updated_at = "kajian_awal", utcnow()
                report.save()
                StatusEvent(report=report, status="kajian_awal", actor="petugas1",
                            public_note="Sedang dikaji.").save(force_insert=True)


if __name__ == "__main__":
    action, data_dir, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    # Reports filed as fast as a script can, many from one address: no minimum time, no rate limits.
    app = create_app({"DATA_DIR": data_dir, "MIN_FORM_SECONDS": 0, "RATE_LIMITS": False})
    if action == "file":
        file_reports(app, count, int(sys.argv[4]) if len(sys.argv) > 4 else 0)
    else:
        review(count)
