"""What a first visit over GPRS costs (bench/gprs.py measures it): the stylesheet asked for in the first
response's headers, static files compressed once at brotli's highest quality, redirects without a body, and
the kiosk's own rules (and keyboard) only on a kiosk."""
import gzip
import re
from pathlib import Path

import brotli

STATIC = Path(__file__).parents[1] / "static"


def test_a_first_visit_is_told_the_stylesheet_at_once(client):
    first = client.get("/lapor/")  # no cookie yet: nothing cached either
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', first.get_data(as_text=True)).group(1)
    assert first.headers["Link"] == f"<{stylesheet}>; rel=preload; as=style"
    client.get("/lapor/kejadian?jenis=formal")  # a draft: a session cookie
    assert "Link" not in client.get("/lapor/kejadian").headers  # a browser with the cookie has the CSS by now


def test_static_files_are_compressed_once_and_tightly(client):
    page = client.get("/").get_data(as_text=True)
    for url in re.findall(r'(?:href|src)="(/static/[^"?]+)\?v=[0-9a-f]+"', page):
        url_with_version = re.search(rf'"({re.escape(url)}\?v=[0-9a-f]+)"', page).group(1)
        original = (STATIC / url.removeprefix("/static/")).read_bytes()
        sent = client.get(url_with_version, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert sent.headers["Content-Encoding"] == "br" and "Accept-Encoding" in sent.headers["Vary"]
        assert brotli.decompress(sent.data) == original
        assert len(sent.data) <= len(brotli.compress(original, quality=5))  # what every page is sent at
        zipped = client.get(url_with_version, headers={"Accept-Encoding": "gzip;q=1, br;q=0"})
        assert zipped.headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped.data) == original
        plain = client.get(url_with_version, headers={"Accept-Encoding": "identity"})
        assert "Content-Encoding" not in plain.headers and plain.data == original


def test_a_redirect_has_no_body(citizen):
    response = citizen.client.get("/lapor/kejadian")  # no draft: to the start
    assert response.status_code == 303 and response.headers["Location"] == "/lapor/"
    assert response.data == b""


def test_the_kiosk_rules_and_keyboard_load_only_at_the_kiosk(make_app):
    app = make_app("d", DEVICES="127.0.0.1")
    phone = app.test_client().get("/lapor/", environ_base={"REMOTE_ADDR": "203.0.113.9"}).get_data(as_text=True)
    assert "kiosk.css" not in phone and "keyboard.js" not in phone and "data-osk" not in phone
    kiosk = app.test_client()
    kiosk.get("/kiosk")
    page = kiosk.get("/lapor/").get_data(as_text=True)
    assert re.search(r'<link rel="stylesheet" href="/static/kiosk.css\?v=[0-9a-f]+" media="screen">', page)
    assert "keyboard.js" in page and 'id="osk"' in page
