"""What a hostile visitor's input may cost the office, and what it may leave behind: no memory keyed by
what was typed (region codes), a form's body far below the upload limit, a draft that keeps at most twice
each field's limit, and drafts left behind discarded by the periodic job, with their files, whether or not
anyone starts a new one."""
import datetime as dt
import gc
import time
import tracemalloc
from pathlib import Path

import pytest

from kiosk import housekeeping, limits
from kiosk.lapor.forms import STEP_FORMS
from kiosk.models import Draft
from tests.support.citizen import Citizen, event_answers
from tests.support.files import jpeg_bytes, png_bytes, upload
from tests.support.sealed import draft_of
from tests.support.servers import Server, query

HOSTILE_KB = 100  # under the form's body limit, so that it reaches the views


def retained_by(action):
    """Bytes of Python memory still held after `action()` (traced, after a collection)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        action()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_region_codes_typed_by_visitors_leave_no_memory_behind(citizen):
    """Thirty event posts whose regency and district are 100 KB of junk each: nothing of them stays in
    memory (the lookups check a code against the known regions before any cache)."""
    citizen.get("/lapor/kejadian?jenis=tip")
    citizen.post("/lapor/kejadian", event_answers())  # every cache of real regions warm

    def hostile_posts():
        for n in range(30):
            junk = f"{n:04d}" + "9" * (HOSTILE_KB * 1024)
            response = citizen.post("/lapor/kejadian", event_answers(regency="36." + junk, district=junk + ".01"))
            assert response.status_code == 200

    assert retained_by(hostile_posts) < 1024 * 1024


def test_a_form_body_is_bounded_far_below_the_upload_limit(citizen, app):
    citizen.get("/lapor/kejadian?jenis=formal")
    huge = "x" * (1024 * 1024)
    for content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        response = citizen.post("/lapor/terlapor", {"terlapor_name": "Tim", "terlapor_address": huge},
                                content_type=content_type)
        assert response.status_code == 413, content_type
    assert "terlapor_address" not in draft_of(citizen)["fields"]
    assert app.config["MAX_FORM_MEMORY_SIZE"] <= 256 * 1024
    # the evidence step still takes files as large as the upload limit allows
    photo = png_bytes((1200, 1200))
    big = photo + b"\0" * (2 * 1024 * 1024)  # a PNG with 2 MB of trailing bytes: large, and whole
    assert upload(citizen, ("besar.png", big)).status_code == 200
    camera = jpeg_bytes((1600, 1200))  # a photo of noise: bytes that look like a boundary's start, now and then
    assert len(camera) > 512 * 1024
    assert upload(citizen, ("kamera.jpg", camera)).status_code == 200
    assert len(draft_of(citizen)["evidence"]) == 2


def test_a_draft_keeps_at_most_twice_each_limit(citizen):
    """Every field of every step posted 16 KB long: the page says what is too long, the draft keeps at
    most twice each field's limit, and the draft's row stays small."""
    citizen.get("/lapor/kejadian?jenis=formal")
    long = "A" * (16 * 1024)  # every field at once within the body limit, each over twice its limit
    urls = {"kejadian": "/lapor/kejadian", "terlapor": "/lapor/terlapor", "bukti": "/lapor/bukti",
            "pelapor": "/lapor/pelapor"}
    with citizen.client.application.test_request_context():
        fields = {step: list(STEP_FORMS[step](formdata=None)._fields) for step in urls}
    for step, url in urls.items():
        response = citizen.post(url, {name: long for name in fields[step]} | {"action": "next"})
        assert response.status_code == 200 and "error-summary" in response.get_data(as_text=True), step
    kept = draft_of(citizen)["fields"]
    for step in urls:
        for name in fields[step]:
            assert len(kept[name]) <= 2 * limits.of(name), name
    assert len(kept["terlapor_address"]) == 2 * limits.TEXT["terlapor_address"]  # what was typed, to twice
    largest = max(len(sealed) for sealed, in Draft.select(Draft.sealed).tuples())
    assert largest < 100 * 1024


def stale_draft_with_a_file(app):
    """A draft with a photo, as if untouched for three days; (its id, its file's path)."""
    person = Citizen(app.test_client())
    person.get("/lapor/kejadian?jenis=tip")
    upload(person, ("foto.png", png_bytes()))
    item = draft_of(person)["evidence"][0]
    with person.client.session_transaction() as session:
        draft_id = session["draft"]
    long_ago = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(hours=72)
    Draft.update(updated_at=long_ago).where(Draft.id == draft_id).execute()
    return draft_id, Path(app.config["EVIDENCE_DIR"]) / item["blob"]


def test_stale_drafts_are_discarded_by_the_periodic_job_with_their_files(app):
    fresh = Citizen(app.test_client())
    fresh.get("/lapor/kejadian?jenis=formal")  # begun just now: kept
    draft_id, file = stale_draft_with_a_file(app)
    with app.app_context():
        summaries = housekeeping.run_all(app.config)
    assert "drafts: 1 left over 48 hours discarded" in summaries
    assert Draft.get_or_none(Draft.id == draft_id) is None and not file.exists()
    assert Draft.select().count() == 1


def test_kiosk_nightly_discards_stale_drafts(app):
    draft_id, file = stale_draft_with_a_file(app)
    with app.app_context():  # as the `kiosk` command provides
        result = app.test_cli_runner().invoke(args=["nightly"])  # its sync fails here: no hub is set
    assert "drafts: 1 left over 48 hours discarded" in result.output
    assert Draft.get_or_none(Draft.id == draft_id) is None and not file.exists()


@pytest.mark.process
def test_kiosk_serve_discards_stale_drafts_without_a_visit(app, tmp_path):
    """A stale draft in the data folder of a server that nobody visits: gone once the server runs."""
    draft_id, file = stale_draft_with_a_file(app)
    server = Server(app.config["DATA_DIR"])
    try:
        server.start()
        deadline = time.monotonic() + 10
        while query(app.config["DATA_DIR"], "SELECT count(*) FROM draft WHERE id = ?", draft_id)[0][0]:
            assert time.monotonic() < deadline, "the stale draft is still there"
            time.sleep(0.1)
        assert not file.exists()
    finally:
        server.stop()
