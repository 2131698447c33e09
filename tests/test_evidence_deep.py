"""Evidence judged whole (issue 10): image bombs refused from their header, documents, sound and video by
their structure (a PDF that runs or carries something is refused), each file checked once per SHA-256 by a
bounded memory; location and camera data kept out of what staff download and the hub receives (the
original only for an admin, audited); previews made once, kept locked, audited."""
import datetime as dt
import hashlib
import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from kiosk import evidence, retention
from kiosk.models import Evidence, Report, StatusEvent
from kiosk.staff.models import AuditLog
from kiosk.sync import rows
from tests.support.citizen import Citizen, submit, walk_to_review
from tests.support.files import PDF, box, jpeg_bytes, mp4_bytes, pdf_bytes, png_bytes, upload
from tests.support.sealed import draft_of
from tests.support.staff import StaffMember, make_staff

PLACE = b"+06.1200+106.1500/"


def png_claiming(width, height):
    """A real 1x1 RGBA PNG whose header (checksum fixed) claims `width` x `height` pixels: 230 KB of such a
    picture decodes to gigabytes."""
    data = bytearray(png_bytes((1, 1)))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4:ihdr + 12] = struct.pack(">II", width, height)
    data[ihdr + 17:ihdr + 21] = struct.pack(">I", zlib.crc32(bytes(data[ihdr:ihdr + 17])) & 0xFFFFFFFF)
    return bytes(data)


def photo_with_gps():
    """A JPEG as a phone saves it: EXIF with the camera's make and a GPS position, turned sideways."""
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"
    exif[0x0112] = 6
    exif.get_ifd(0x8825).update({1: "S", 2: (6.0, 7.0, 12.0), 3: "E", 4: (106.0, 9.0, 0.0)})
    buffer = io.BytesIO()
    Image.effect_noise((320, 200), 40).convert("RGB").save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def javascript(code="app.alert(1)"):
    return DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(code)})


ACTIVE_PDFS = {
    "opens with JavaScript": pdf_bytes(OpenAction=javascript()),
    "names a script": pdf_bytes(Names=DictionaryObject({NameObject("/JavaScript"): DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("a"), javascript()])})})),
    "launches a program": pdf_bytes(OpenAction=DictionaryObject({
        NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")})),
    "carries a file": pdf_bytes(Names=DictionaryObject({NameObject("/EmbeddedFiles"): DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("x.exe"), DictionaryObject()])})})),
}


@pytest.fixture
def reporting(citizen):
    citizen.get("/bahasa/en?next=/")
    citizen.get("/lapor/kejadian?jenis=formal")
    return citizen


def nothing_kept(app, reporting):
    assert draft_of(reporting)["evidence"] == []
    assert [p.name for p in Path(app.config["EVIDENCE_DIR"]).iterdir()] == []


@pytest.mark.parametrize("width, height", [
    (7700, 7700),  # 59 MP, under Pillow's own guard of the time, in a file of a few bytes
    (4100, 4000),  # 16.4 MP: a PNG cannot decode scaled down, and no phone saves its photos as PNG
])
def test_a_picture_of_more_pixels_than_a_phone_takes_is_refused_from_its_header(reporting, app, width, height):
    page = upload(reporting, ("tps.png", png_claiming(width, height))).get_data(as_text=True)
    assert "tps.png is a picture larger than any phone camera takes" in page
    nothing_kept(app, reporting)


@pytest.mark.parametrize("what", sorted(ACTIVE_PDFS))
def test_a_pdf_that_runs_or_carries_something_is_refused(reporting, app, what):
    page = upload(reporting, ("surat.pdf", ACTIVE_PDFS[what])).get_data(as_text=True)
    assert "surat.pdf is a PDF that contains a program, an action or attached files" in page
    nothing_kept(app, reporting)


def pdf_of_objects(count):
    """A PDF of one page and `count` tiny objects besides, with a cross-reference table."""
    head = [b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n", b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"]
    objects = head + [b"%d 0 obj<</A [1 2 3]>>endobj\n" % number for number in range(3, count + 3)]
    offsets, position = [], 9
    for item in objects:
        offsets.append(position)
        position += len(item)
    table = b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return (b"%PDF-1.4\n" + b"".join(objects) + table
            + b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, position))


def test_a_pdf_of_more_objects_than_any_document_is_refused_before_it_is_walked(reporting, app):
    """150,000 objects in 8 MB cost 6 s of CPU to walk, while every other upload waited."""
    page = upload(reporting, ("laporan.pdf", pdf_of_objects(25_000))).get_data(as_text=True)
    assert "laporan.pdf is a PDF too large to check here" in page
    nothing_kept(app, reporting)
    upload(reporting, ("laporan.pdf", pdf_of_objects(2_000)))  # a long document's worth is kept
    assert [item["mime"] for item in draft_of(reporting)["evidence"]] == ["application/pdf"]


def test_a_plain_pdf_is_kept(reporting):
    upload(reporting, ("surat.pdf", PDF))
    assert [item["mime"] for item in draft_of(reporting)["evidence"]] == ["application/pdf"]


@pytest.mark.parametrize("name, content", [
    ("video.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom<html><script>alert(1)</script></html>"),
    ("video.mp4", mp4_bytes()[:-100]),                              # cut short: the media box runs past the end
    ("video.mp4", box(b"ftyp", b"mp42" + bytes(4) + b"mp42") + box(b"mdat", bytes(64))),  # no movie header
    ("suara.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"<html>" * 40),   # a tag and nothing to hear
    ("suara.wav", b"RIFF\x24\x00\x00\x00WAVEfmt " + b"<html>" * 10),
    ("suara.amr", b"#!AMR\n" + b"<html>"),
    ("video.mp4", mp4_bytes() + box(b"free", b"") * 150_000),  # more boxes than a recording has: 2 s to walk
    ("suara.amr", b"#!AMR\n" + b"\x7c" * 1_100_000),           # a million empty frames, the same
])
def test_sound_and_video_are_judged_by_their_whole_structure(reporting, app, name, content):
    page = upload(reporting, (name, content)).get_data(as_text=True)
    assert "is damaged or incomplete" in page or "is not a photo, PDF, sound or video file" in page
    nothing_kept(app, reporting)


def test_the_verdicts_remembered_are_bounded(app):
    """Each file is checked once per SHA-256, and no more than VERDICTS_KEPT verdicts are kept."""
    evidence._verdicts.clear()
    for n in range(evidence.VERDICTS_KEPT + 50):
        evidence._verdict(b"%d" % n, "application/pdf", hashlib.sha256(b"%d" % n).hexdigest())
    assert len(evidence._verdicts) == evidence.VERDICTS_KEPT
    assert (hashlib.sha256(b"0").hexdigest(), "application/pdf") not in evidence._verdicts  # the oldest went


def _filed(reporting, app, *files):
    """File a report with `files`; a petugas and an admin of the office, signed in; the report's evidence."""
    upload(reporting, *files)
    walk_to_review(reporting)
    submit(reporting)
    make_staff("petugas")
    make_staff("kepala", role="admin")
    petugas, admin = StaffMember(app.test_client()), StaffMember(app.test_client())
    petugas.login("petugas")
    admin.login("kepala")
    return petugas, admin, list(Evidence.select().order_by(Evidence.position))


def test_staff_download_photos_and_videos_without_location_and_an_admin_the_original(reporting, app):
    photo, video = photo_with_gps(), mp4_bytes(place=PLACE)
    petugas, admin, (picture, recording) = _filed(reporting, app, ("tps.jpg", photo), ("rekaman.mp4", video))
    assert picture.original and recording.original  # kept as sent, apart from the copy
    base = f"/staff/laporan/{picture.report_id}/bukti"
    shared = petugas.client.get(f"{base}/{picture.id}").data
    with Image.open(io.BytesIO(shared)) as image:
        exif = image.getexif()
        assert 0x8825 not in exif and 0x010F not in exif and exif.get(0x0112) == 6  # no GPS, no make; upright kept
        assert image.size == (320, 200)
    assert b"KameraRahasia" not in shared
    clip = petugas.client.get(f"{base}/{recording.id}").data
    assert PLACE not in clip and b"KameraHP1" not in clip and len(clip) == len(video)
    assert petugas.client.get(f"{base}/{picture.id}/asli").status_code == 403
    assert admin.client.get(f"{base}/{picture.id}/asli").data == photo
    assert admin.client.get(f"{base}/{recording.id}/asli").data == video
    assert AuditLog.select().where(AuditLog.action == "download_original").count() == 2
    assert b"/asli" in admin.client.get(f"/staff/laporan/{picture.report_id}").data
    assert b"/asli" not in petugas.client.get(f"/staff/laporan/{picture.report_id}").data


def test_the_hub_receives_only_the_copy_without_location(reporting, app):
    _petugas, _admin, (picture,) = _filed(reporting, app, ("tps.jpg", photo_with_gps()))
    (row,) = rows.wire_rows(Evidence.select().where(Evidence.id == picture.id))
    assert "original" not in row and row["blob"] == picture.blob != picture.original


def test_a_preview_is_made_once_kept_locked_and_audited(reporting, app):
    petugas, _admin, (picture,) = _filed(reporting, app, ("tps.jpg", photo_with_gps()))
    address = f"/staff/laporan/{picture.report_id}/bukti/{picture.id}/pratinjau"
    first = petugas.client.get(address)
    kept = list((Path(app.config["DATA_DIR"]) / "previews").iterdir())
    assert [path.name for path in kept] == [picture.blob]
    made = kept[0].stat().st_mtime_ns
    assert first.data not in kept[0].read_bytes() and first.data[:3] == b"\xff\xd8\xff"  # locked, not readable
    assert petugas.client.get(address).data == first.data and kept[0].stat().st_mtime_ns == made  # not made again
    assert AuditLog.select().where(AuditLog.action == "preview_evidence").count() == 2


def test_a_draft_photo_uploaded_again_is_kept_once(reporting, app):
    photo = jpeg_bytes((64, 48))
    upload(reporting, ("a.jpg", photo))
    upload(reporting, ("b.jpg", photo))
    assert len(draft_of(reporting)["evidence"]) == 1
    assert len(list(Path(app.config["EVIDENCE_DIR"]).iterdir())) == 1


def test_backups_keep_the_copy_and_the_original_and_retention_destroys_both(reporting, app):
    petugas, _admin, (picture,) = _filed(reporting, app, ("tps.jpg", photo_with_gps()))
    petugas.client.get(f"/staff/laporan/{picture.report_id}/bukti/{picture.id}/pratinjau")  # a preview kept
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    copies = {path.name for path in (Path(app.config["DATA_DIR"]) / "backups" / "evidence").iterdir()}
    assert copies == {picture.blob, picture.original}  # a restore brings back the original too

    report = Report.get_by_id(picture.report_id)
    report.status, report.outcome = "selesai", "no_violation"
    report.save()
    StatusEvent.create(report=report, status="selesai", at=dt.datetime.now() - dt.timedelta(days=2000),
                       actor="petugas", change_seq=99)
    with app.app_context():
        retention.run(app.config)
    assert list(Path(app.config["EVIDENCE_DIR"]).iterdir()) == []  # the copy and the original
    assert list((Path(app.config["DATA_DIR"]) / "previews").iterdir()) == []
    assert Evidence.get_by_id(picture.id).original == ""


def test_posts_with_files_are_limited_per_address_and_the_draft_is_kept(make_app):
    app = make_app("d", MIN_FORM_SECONDS=0, RATE_UPLOAD="2 per minute")
    person = Citizen(app.test_client())
    person.client.environ_base.update(REMOTE_ADDR="203.0.113.9")
    person.get("/lapor/kejadian?jenis=formal")
    codes = [upload(person, (f"f{n}.png", png_bytes(color=(n, 9, 9)))).status_code for n in range(3)]
    assert codes == [200, 200, 429]
    assert len(draft_of(person)["evidence"]) == 2
    assert person.post("/lapor/bukti", {"action": "next"}).status_code == 200  # the step itself goes on
