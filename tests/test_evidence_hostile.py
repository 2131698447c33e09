"""Uploads that lie, beyond tests/test_evidence.py: polyglots, SVG with script, bombs disguised as
photos, names with folders, hidden direction marks or a program's extension, a PDF cut short. None
is stored as evidence unless it is what it claims to be, down to the report's Evidence rows; and
what is stored reaches staff only as an attachment of its real type, under a name that says so."""
import hashlib
import io
import struct
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from kiosk.evidence import content_type
from kiosk.models import Evidence, Report
from tests.support.sealed import draft_of, file_bytes, files
from tests.support.citizen import submit, walk_to_review
from tests.support.files import PDF, jpeg_bytes, mp4_bytes, png_bytes, upload
from tests.support.staff import StaffMember, make_staff

SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b"<script>alert(document.cookie)</script></svg>")


def gif_js_polyglot():
    """A GIF header that is also JavaScript (GIF89a/*...*/=alert(1)): not a picture that decodes."""
    return b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=alert(1);//" + b"\x00" * 64


def jpeg_carrying_a_page():
    """A real JPEG with an HTML page and a ZIP appended: a valid picture that also carries a payload."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("index.html", "<script>alert(1)</script>")
    return jpeg_bytes((120, 90)) + b"<html><script>alert(1)</script></html>" + archive.getvalue()


def zip_bomb():
    """20 MB of zeros in a ~20 KB ZIP."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("foto.jpg", b"\0" * (20 * 1024 * 1024))
    return archive.getvalue()


def gif_claiming(width, height):
    """A 1x1 GIF whose header claims `width` x `height` pixels."""
    buffer = io.BytesIO()
    Image.new("P", (1, 1)).save(buffer, "GIF")
    data = bytearray(buffer.getvalue())
    data[6:10] = struct.pack("<HH", width, height)
    return bytes(data)


def jpeg_claiming(width, height):
    """A small JPEG whose frame header (SOF0) claims `width` x `height` pixels."""
    data = bytearray(jpeg_bytes((16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.fixture
def reporting(citizen):
    citizen.get("/bahasa/en?next=/")
    citizen.get("/lapor/kejadian?jenis=formal")
    return citizen


def nothing_kept(app, reporting):
    assert draft_of(reporting)["evidence"] == []
    assert [p.name for p in Path(app.config["EVIDENCE_DIR"]).iterdir()] == []


@pytest.mark.parametrize("name, content, declared", [
    ("foto.gif", gif_js_polyglot(), None),                    # a polyglot that is no picture
    ("gambar.svg", SVG, "image/svg+xml"),                      # SVG is not accepted at all
    ("foto.png", SVG, "image/png"),                            # nor disguised as a photo
    ("foto.jpg", zip_bomb(), "image/jpeg"),                    # a zip bomb named as a photo
    ("besar.gif", gif_claiming(65535, 65535), None),           # 4 billion pixels in a 1-pixel file
    ("besar.jpg", jpeg_claiming(65000, 65000), None),
    ("surat.pdf", PDF.replace(b"%%EOF", b""), None),           # a PDF cut short: no end marker
    ("surat.pdf", PDF[:40], None),
    ("../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n", None),
    ("foto.exe", jpeg_bytes((40, 30)), None),                  # a photo named as a program
    ("bukti.html", png_bytes(), "text/html"),                  # or as a page
    ("foto\u202egpj.exe", png_bytes(), "image/png"),           # shows as 'fotoexe.jpg' without the mark
])
def test_files_that_lie_are_refused_and_nothing_is_kept(reporting, app, name, content, declared):
    files = [(io.BytesIO(content), name, declared)] if declared else [(io.BytesIO(content), name)]
    response = reporting.post("/lapor/bukti", {"action": "upload", "files": files}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "error-summary" in page
    assert "is not" in page or "damaged" in page or "larger than any phone camera" in page
    nothing_kept(app, reporting)


def test_a_folder_in_the_name_is_dropped_and_nothing_lands_outside_the_store(reporting, app):
    photo = png_bytes()
    for name in ("../../etc/passwd.png", "..\\..\\windows\\foto.png", "/tmp/foto.png"):
        upload(reporting, (name, photo))
    kept = draft_of(reporting)["evidence"]
    assert [item["filename"] for item in kept] == ["passwd.png"]  # the same photo, kept once
    assert sorted(p.name for p in Path(app.config["EVIDENCE_DIR"]).iterdir()) == [kept[0]["blob"]]
    assert not Path(app.config["DATA_DIR"], "etc").exists() and not Path("/tmp/foto.png").exists()


def test_too_many_files_across_several_posts(reporting, app):
    app.config["UPLOAD_MAX_FILES"] = 3
    for n in range(4):
        page = upload(reporting, (f"f{n}.png", png_bytes(color=(n, 90, 90)))).get_data(as_text=True)
    assert len(draft_of(reporting)["evidence"]) == 3
    assert "f3.png was not added: at most 3 files can be sent" in page
    assert 'name="files"' not in page  # the picker is gone once the list is full


def test_a_valid_picture_carrying_a_payload_reaches_staff_only_as_an_attachment(reporting, app):
    """A JPEG with a page appended is a JPEG (it decodes whole): kept, but never served to the
    public, downloaded by staff only as image/jpeg with nosniff and without what follows its end
    marker, and previewed re-encoded."""
    content = jpeg_carrying_a_page()
    upload(reporting, ("bukti", content))  # no extension: the download gets one
    walk_to_review(reporting)
    submit(reporting)
    item = Evidence.get()
    assert item.mime == "image/jpeg"
    make_staff("petugas")
    petugas = StaffMember(app.test_client())
    petugas.login("petugas")
    download = petugas.client.get(f"/staff/laporan/{item.report_id}/bukti/{item.id}")
    assert download.data == content[:content.index(b"<html>")] and download.mimetype == "image/jpeg"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"] == 'attachment; filename=bukti.jpg'
    preview = petugas.client.get(f"/staff/laporan/{item.report_id}/bukti/{item.id}/pratinjau")
    assert preview.mimetype == "image/jpeg" and b"<script>" not in preview.data and b"PK\x03\x04" not in preview.data


def test_the_download_name_always_ends_in_what_the_file_is(reporting, app):
    """A video named as a song is kept (sound and video share containers), and saved as a video."""
    upload(reporting, ("rekaman.mp3", mp4_bytes()))
    walk_to_review(reporting)
    submit(reporting)
    item = Evidence.get()
    assert item.mime == "video/mp4" and files(item.report)[0].filename == "rekaman.mp3"
    make_staff("petugas")
    petugas = StaffMember(app.test_client())
    petugas.login("petugas")
    download = petugas.client.get(f"/staff/laporan/{item.report_id}/bukti/{item.id}")
    assert download.headers["Content-Disposition"] == "attachment; filename=rekaman.mp3.mp4"


def test_only_what_it_claims_to_be_reaches_the_report(reporting, app):
    """A run of good and lying files, then the report: its Evidence rows are exactly the good ones,
    each file stored under the hash of its bytes, of the type its content shows, listed on the receipt."""
    good = {"tps.png": png_bytes(), "amplop.jpg": jpeg_bytes((64, 48)), "surat.pdf": PDF}
    bad = {"svg.png": SVG, "bom.jpg": zip_bomb(), "rusak.jpg": jpeg_bytes()[:3000], "prog.exe": png_bytes((9, 9)),
           "polyglot.gif": gif_js_polyglot(), "besar.gif": gif_claiming(60000, 60000)}
    for name, content in list(bad.items())[:3] + list(good.items()) + list(bad.items())[3:]:
        upload(reporting, (name, content))
    walk_to_review(reporting)
    receipt = submit(reporting)[0].get_data(as_text=True)
    opened = files(Report.get())
    assert [file.filename for file in opened] == list(good)
    assert Report.get().evidence.count() == 3
    store = Path(app.config["EVIDENCE_DIR"])
    assert sorted(p.name for p in store.iterdir()) == sorted(file.row.blob for file in opened)
    for position, file in enumerate(opened):
        sealed = (store / file.row.blob).read_bytes()
        assert hashlib.sha256(sealed).hexdigest() == file.row.blob  # named by what is stored
        data = file_bytes(store, Report.get(), position)
        assert hashlib.sha256(data).hexdigest() == file.sha256 and file.row.size == len(data) == len(good[file.filename])
        assert content_type(data[:8192]) == file.row.mime
        assert file.sha256 in receipt
    for name in bad:
        assert name not in receipt
