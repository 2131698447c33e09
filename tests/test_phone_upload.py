"""The phone's upload link, over HTTP without a browser: the same checks and limits as any evidence, a link
that expires and is discarded with what waited on it, a rate limit, and nothing of the person in the link."""
import datetime as dt
import io
import re

import pytest

from kiosk import evidence, housekeeping
from kiosk.lapor.phone import SESSION_TOKEN, PhoneLink, PhoneUpload
from kiosk.models import utcnow
from tests.support.citizen import Citizen
from tests.support.files import PDF, png_bytes
from tests.support.sealed import draft_of

KIOSK = {"REMOTE_ADDR": "127.0.0.1"}
PHONE = {"REMOTE_ADDR": "203.0.113.9"}


@pytest.fixture
def office(make_app):
    return make_app("d", MIN_FORM_SECONDS=0, DEVICES="127.0.0.1", PUBLIC_URL="https://lapor.bawaslu-serang.example",
                    UPLOAD_MAX_FILES=2, UPLOAD_MAX_MB=1)


def at_the_kiosk(app):
    """A kiosk visitor at the evidence step; returns (their Citizen, the link's path)."""
    kiosk = Citizen(app.test_client())
    kiosk.get("/kiosk", environ_base=KIOSK)
    kiosk.get("/lapor/kejadian?jenis=tip", environ_base=KIOSK)
    page = kiosk.get("/lapor/bukti", environ_base=KIOSK).get_data(as_text=True)
    assert 'class="phone-upload-qr"' in page
    with kiosk.client.session_transaction() as session:  # the QR code's token, as the kiosk holds it
        token = session[SESSION_TOKEN]
    return kiosk, f"/lapor/unggah/{token}"


def waiting(app):
    """(links, files waiting on them, files in the evidence store), asked in an app context of its own: one
    held around requests would share its `g` (and a CSRF token) between the kiosk and the phone."""
    with app.app_context():
        return PhoneLink.select().count(), PhoneUpload.select().count(), len(list(evidence.files().folder.iterdir()))


def send(phone, path, *files):
    phone.get(path, environ_base=PHONE)
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return phone.post(path, data, content_type="multipart/form-data", environ_base=PHONE)


def test_the_link_carries_nothing_but_a_random_token(office):
    _, path = at_the_kiosk(office)
    assert re.fullmatch(r"/lapor/unggah/[A-Za-z0-9_-]{43}", path)


@pytest.mark.parametrize("name, content, words", [
    ("foto.jpg", b"not a photo at all, just text", "bukan berkas foto"),
    ("surat.pdf", png_bytes(), "tidak sesuai dengan namanya"),
    ("besar.png", b"\x89PNG\r\n\x1a\n" + bytes(2 * 1024 * 1024), "lebih besar dari 1 MB"),
])
def test_a_file_the_office_refuses_is_refused_from_the_phone_too(office, name, content, words):
    kiosk, path = at_the_kiosk(office)
    phone = Citizen(office.test_client())
    response = send(phone, path, (name, content))
    assert response.status_code in (400, 413)
    assert words in response.get_data(as_text=True)
    assert waiting(office) == (1, 0, 0)


def test_no_more_files_than_the_draft_can_take(office):
    kiosk, path = at_the_kiosk(office)
    phone = Citizen(office.test_client())
    files = [(f"foto{i}.png", png_bytes(color=(i * 40, 10, 10))) for i in range(3)]
    response = send(phone, path, *files)
    assert response.status_code == 400 and "paling banyak 2 berkas" in response.get_data(as_text=True)
    assert waiting(office) == (1, 0, 0)  # all or nothing
    assert send(phone, path, *files[:2]).status_code == 200
    kiosk.get("/lapor/bukti", environ_base=KIOSK)
    assert [item["filename"] for item in draft_of(kiosk.client)["evidence"]] == ["foto0.png", "foto1.png"]
    page = phone.get(path, environ_base=PHONE).get_data(as_text=True)
    assert 'id="files"' not in page and "sebanyak yang bisa diterima" in page  # the draft is full


def test_a_pdf_from_the_phone_is_kept_with_the_report(office):
    kiosk, path = at_the_kiosk(office)
    send(Citizen(office.test_client()), path, ("surat-undangan.pdf", PDF))
    assert "surat-undangan.pdf" in kiosk.get("/lapor/bukti", environ_base=KIOSK).get_data(as_text=True)


def test_an_expired_link_is_refused_and_discarded_with_its_files(office):
    kiosk, path = at_the_kiosk(office)
    phone = Citizen(office.test_client())
    send(phone, path, ("foto.png", png_bytes()))
    assert waiting(office)[1:] == (1, 1)
    with office.app_context():
        PhoneLink.update(expires_at=utcnow() - dt.timedelta(minutes=1)).execute()
    assert phone.get(path, environ_base=PHONE).status_code == 410
    with office.app_context():
        housekeeping.run_all(office.config)
    assert waiting(office) == (0, 0, 0)  # the link went, and the file that waited with it
    page = kiosk.get("/lapor/bukti", environ_base=KIOSK).get_data(as_text=True)
    assert 'class="phone-upload-qr"' in page and waiting(office)[0] == 1  # a new link for the visitor


def test_sending_from_a_phone_is_rate_limited(make_app):
    app = make_app("d", DEVICES="127.0.0.1", PUBLIC_URL="https://lapor.example", RATE_UPLOAD="3 per minute")
    kiosk, path = at_the_kiosk(app)
    phone = Citizen(app.test_client())
    codes = [send(phone, path, (f"foto{i}.png", png_bytes(color=(i * 60, 0, 0)))).status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]
    assert phone.get(path, environ_base=PHONE).status_code == 200  # looking at the page is not limited
