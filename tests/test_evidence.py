"""Evidence uploads: checked by content, stored by SHA-256, listed on the receipt, refused kindly."""
import hashlib
import io
import struct
import zlib
from pathlib import Path

import pytest

from kiosk import keys as crypto
from kiosk.models import Evidence
from tests.support.sealed import draft_of
from tests.support.citizen import Citizen, submit, walk_to_review
from tests.support.files import PDF, jpeg_bytes, png_bytes, upload


def bomb_png():
    """A small PNG whose header claims 100,000 x 100,000 pixels."""
    data = bytearray(png_bytes((1, 1)))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4:ihdr + 12] = struct.pack(">II", 100_000, 100_000)
    crc = zlib.crc32(bytes(data[ihdr:ihdr + 17])) & 0xFFFFFFFF
    data[ihdr + 17:ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


@pytest.fixture
def reporting(citizen):
    citizen.get("/lapor/kejadian?jenis=formal")
    return citizen


def test_photo_and_pdf_are_kept_by_hash_and_listed_on_the_receipt(reporting, app):
    photo, pdf = png_bytes(), PDF
    page = upload(reporting, ("foto tps.png", photo), ("surat.pdf", pdf)).get_data(as_text=True)
    assert "foto tps.png" in page and "surat.pdf" in page
    evidence_dir = Path(app.config["EVIDENCE_DIR"])
    kept = draft_of(reporting)["evidence"]
    assert [item["sha256"] for item in kept] == [hashlib.sha256(content).hexdigest() for content in (photo, pdf)]
    for item, content in zip(kept, (photo, pdf)):
        stored = (evidence_dir / item["blob"]).read_bytes()  # named by the hash of what is stored: sealed bytes
        assert hashlib.sha256(stored).hexdigest() == item["blob"] and content not in stored
        assert crypto.unlock_bytes(crypto.unb64(item["key"]), stored) == content

    walk_to_review(reporting)  # the other steps; the files stay in the draft
    receipt = submit(reporting)[0].get_data(as_text=True)
    assert hashlib.sha256(photo).hexdigest() in receipt
    assert hashlib.sha256(pdf).hexdigest() in receipt
    assert sorted(e.mime for e in Evidence.select()) == ["application/pdf", "image/png"]


def test_the_same_file_twice_is_kept_once(reporting):
    upload(reporting, ("a.png", png_bytes()))
    upload(reporting, ("b.png", png_bytes()))
    assert len(draft_of(reporting)["evidence"]) == 1


@pytest.mark.parametrize("name, content", [
    ("foto.jpg", PDF),                               # a lying extension
    ("program.jpg", b"MZ\x90\x00" + b"\0" * 200),     # not an accepted type at all
    ("catatan.txt", b"hello, this is text"),
    ("halaman.html", b"<html><script>alert(1)</script></html>"),
    ("rusak.jpg", jpeg_bytes()[:4000]),              # a truncated image
    ("bom.png", bomb_png()),                         # a decompression bomb
    ("kosong.png", b""),
])
def test_files_that_are_not_what_they_claim_are_refused(reporting, app, name, content):
    response = upload(reporting, (name, content))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "error-summary" in page and name in page
    assert draft_of(reporting)["evidence"] == []
    assert [p.name for p in Path(app.config["EVIDENCE_DIR"]).iterdir()] == []


def test_wrong_declared_content_type_is_refused(reporting):
    data = {"action": "upload", "files": (io.BytesIO(PDF), "bukti", "image/jpeg")}
    page = reporting.post("/lapor/bukti", data, content_type="multipart/form-data").get_data(as_text=True)
    assert "error-summary" in page
    assert draft_of(reporting)["evidence"] == []


def test_oversized_file_gets_413_and_the_draft_is_kept(reporting, app):
    app.config["UPLOAD_MAX_MB"] = 1
    big = png_bytes() + b"\0" * (1024 * 1024 + 10)
    response = upload(reporting, ("video.png", big), physical="y", physical_desc="Amplop")
    assert response.status_code == 413
    assert "video.png" in response.get_data(as_text=True)
    assert draft_of(reporting)["fields"]["physical_desc"] == "Amplop"
    assert draft_of(reporting)["evidence"] == []


def test_request_over_the_limit_gets_the_friendly_413_page(make_app):
    app = make_app("d", UPLOAD_MAX_MB=1, UPLOAD_MAX_FILES=1)
    person = Citizen(app.test_client())
    person.get("/lapor/kejadian?jenis=tip")
    person.post("/lapor/terlapor", {"terlapor_name": "Disimpan", "action": "next"})
    response = upload(person, ("besar.mp4", b"\0" * (3 * 1024 * 1024)))
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "/lapor/bukti" in page  # a way back to the report
    assert "Traceback" not in page
    assert draft_of(person)["fields"]["terlapor_name"] == "Disimpan"


def test_at_most_the_configured_number_of_files(reporting, app):
    app.config["UPLOAD_MAX_FILES"] = 2
    files = [(f"f{n}.png", png_bytes(color=(n, n, n))) for n in range(3)]
    page = upload(reporting, *files).get_data(as_text=True)
    assert len(draft_of(reporting)["evidence"]) == 2
    assert "f2.png" in page and "error-summary" in page


def test_removed_file_leaves_the_store(reporting, app):
    upload(reporting, ("a.png", png_bytes()))
    digest = draft_of(reporting)["evidence"][0]["blob"]
    reporting.post("/lapor/bukti", {"action": f"remove:{digest}"})
    assert draft_of(reporting)["evidence"] == []
    assert not (Path(app.config["EVIDENCE_DIR"]) / digest).exists()


def test_evidence_is_never_served_to_the_public(reporting, client, app):
    upload(reporting, ("a.png", png_bytes()))
    digest = draft_of(reporting)["evidence"][0]["blob"]
    for url in (f"/evidence/{digest}", f"/static/../data/evidence/{digest}", f"/lapor/bukti/{digest}"):
        assert client.get(url).status_code == 404
