"""What every page shares: languages, headers, CSRF, health, friendly errors."""
import re

import pytest

from tests.support.sealed import draft_of
from tests.support import html


def test_landing_offers_both_ways_and_the_status_lookup(client):
    page = client.get("/")
    assert html.h1(page) == "Laporkan pelanggaran pemilu"
    assert html.links(page, "main") == ["/lapor/kejadian?jenis=formal", "/lapor/kejadian?jenis=tip", "/status"]
    assert html.link(page, "Buat laporan resmi", within=".ways") == "/lapor/kejadian?jenis=formal"


def test_indonesian_by_default_and_english_from_accept_language(client):
    indonesian = client.get("/").get_data(as_text=True)
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="id"' in indonesian and '<html lang="en"' in english
    assert html.h1(english) == "Report an election violation"
    assert html.h1(indonesian) == "Laporkan pelanggaran pemilu"


def test_language_switch_is_remembered_and_returns_to_the_page(client):
    response = client.get("/bahasa/en?next=/status")
    assert response.status_code == 303 and response.headers["Location"] == "/status"
    assert '<html lang="en"' in client.get("/status").get_data(as_text=True)
    client.get("/bahasa/id?next=/")
    assert '<html lang="id"' in client.get("/status", headers={"Accept-Language": "en"}).get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_language_switch_never_redirects_off_site(client, target):
    assert client.get("/bahasa/en", query_string={"next": target}).headers["Location"] == "/"


def test_every_page_has_the_language_switch(client):
    for url in ("/", "/lapor/", "/status", "/halaman-tidak-ada"):
        switch = html.links(client.get(url), ".site-header a[hreflang=en]")
        assert len(switch) == 1 and switch[0].startswith("/bahasa/en?next="), url


def test_pages_are_not_stored_and_carry_a_strict_csp(client):
    response = client.get("/lapor/")
    assert response.headers["Cache-Control"] == "no-store"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "script-src" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_no_inline_script_or_style_in_any_template():
    from pathlib import Path

    for path in Path(__file__).parent.parent.joinpath("templates").rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script>|<script [^>]*>[^<]|\sstyle=\"|\son[a-z]+=\"|<style", text), path


def test_post_without_csrf_token_is_refused(client):
    client.get("/lapor/kejadian?jenis=formal")
    response = client.post("/lapor/kejadian", data={"description": "tanpa token"})
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)

    assert draft_of(client)["fields"].get("description") is None


def test_healthz_reports_role_office_schema_and_count(client):
    from kiosk.db import MIGRATIONS_DIR

    newest = max(int(path.name.split("_")[0]) for path in MIGRATIONS_DIR.glob("[0-9]*.py"))
    body = client.get("/healthz").get_json()
    assert body == {"status": "ok", "role": "office", "office_code": "36.73", "schema_version": newest, "reports": 0,
                    "last_backup": None, "last_sync": None}


def test_not_found_is_friendly(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert html.h1(response) == "Halaman tidak ditemukan"
    assert html.links(response, "main") == ["/"]  # the way home is in the page, not only in the header's logo


def test_server_error_shows_no_traceback(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret detail" not in page and "Traceback" not in page
    assert '<html lang="id"' in page and html.links(page, "main") == ["/"]


def test_secret_key_is_generated_once_and_kept(tmp_path):
    from kiosk import create_app

    first = create_app({"DATA_DIR": str(tmp_path)}).secret_key
    second = create_app({"DATA_DIR": str(tmp_path)}).secret_key
    assert first == second and len(first) == 64
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_htmx_request_gets_only_the_step_and_varies(citizen):
    citizen.get("/lapor/kejadian?jenis=formal")
    response = citizen.client.get("/lapor/terlapor", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert page.lstrip().startswith('<section id="step"')
    assert "<html" not in page
    assert html.has(page, '#step input[name="terlapor_name"]')  # the step asked for, alone
    assert "HX-Request" in response.headers["Vary"]
    assert response.headers["HX-Push-Url"] == "/lapor/terlapor"
    full = citizen.client.get("/lapor/terlapor")
    assert "<html" in full.get_data(as_text=True) and "HX-Request" in full.headers["Vary"]


def test_crafted_query_text_is_not_echoed_into_pages(client):
    page = client.get("/lapor/?secret-guess=csrf_token%3Dab12").get_data(as_text=True)
    assert "secret-guess" not in page and "ab12" not in page
    status = client.get("/status?kode=1234&x=injected").get_data(as_text=True)
    assert "injected" not in status and "kode%3D1234" in status  # the lookup keeps its code


def test_staff_pages_are_not_compressed(client):
    response = client.get("/staff/login", headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in response.headers
