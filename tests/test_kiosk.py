"""Kiosk mode and display preferences over HTTP: who becomes a kiosk, what a reset wipes, and the
caching and compression that slow phones depend on."""
import re


from kiosk.models import Draft, Report
from tests.support import html
from tests.support.citizen import Citizen, event_answers, submit, walk_to_review


def kiosk_citizen(app):
    person = Citizen(app.test_client())
    person.get("/kiosk")  # the test client comes from 127.0.0.1, a kiosk device by default
    return person


def test_kiosk_launch_from_the_office_machine_shows_the_start_screen(app):
    person = kiosk_citizen(app)
    page = html.parse(person.get("/"))
    assert 'class="kiosk"' in str(page) and html.has(page, "body[data-kiosk]")
    assert html.has(page, "main .kiosk-welcome h1")  # the start screen, not the landing page
    assert html.links(page, "main") == ["/lapor/kejadian?jenis=formal", "/lapor/kejadian?jenis=tip", "/status"]
    assert html.has(page, ".kiosk-welcome[data-idle-exempt]")  # nothing to guard on the start screen


def test_kiosk_launch_from_elsewhere_is_an_ordinary_visit(client):
    client.get("/kiosk", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    page = client.get("/", environ_base={"REMOTE_ADDR": "203.0.113.7"}).get_data(as_text=True)
    assert "data-kiosk" not in page


def test_kiosk_forms_switch_off_autofill_and_are_guarded(app):
    person = kiosk_citizen(app)
    person.get("/lapor/kejadian?jenis=formal")
    page = person.get("/lapor/pelapor").get_data(as_text=True)
    assert re.search(r'<form[^>]+autocomplete="off"', page)
    for field in ("reporter_name", "reporter_nik", "reporter_phone", "reporter_address"):
        assert re.search(rf'id="{field}"[^>]*autocomplete="off"', page), field
    assert "data-idle-exempt" not in page and 'id="idle-dialog"' in page
    assert person.client.get("/lapor/pelapor").headers["Cache-Control"] == "no-store"


def test_phone_keeps_autofill(citizen):
    citizen.get("/lapor/kejadian?jenis=formal")
    page = citizen.get("/lapor/pelapor").get_data(as_text=True)
    assert re.search(r'id="reporter_name"[^>]*autocomplete="name"', page)


def test_kiosk_reset_wipes_the_draft_and_the_visit(app):
    person = kiosk_citizen(app)
    person.get("/bahasa/en?next=/")
    person.get("/tampilan?teks=3&kontras=1&next=/")
    person.get("/lapor/kejadian?jenis=formal")
    person.post("/lapor/kejadian", event_answers(description="Rahasia: amplop dari tim sukses nomor 9 di RT 04."))
    assert Draft.select().count() == 1
    response = person.post("/kiosk/reset")
    page = response.get_data(as_text=True)
    assert Draft.select().count() == 0
    assert "amplop dari tim sukses" not in page
    assert '<html lang="id" class="kiosk"' in page  # language and display back to the defaults
    assert "amplop dari tim sukses" not in person.get("/lapor/kejadian").get_data(as_text=True)


def test_finish_on_a_kiosk_returns_to_the_start_screen(app):
    person = kiosk_citizen(app)
    walk_to_review(person, kind="tip")
    submit(person)
    page = person.post("/lapor/selesai").get_data(as_text=True)
    assert html.has(page, "main .kiosk-welcome h1")
    assert not html.has(person.get("/lapor/tanda-terima"), ".tracking-code")
    assert Report.get().channel == "kiosk"


def test_finish_on_a_phone_keeps_language_and_display(citizen):
    citizen.get("/bahasa/en?next=/")
    citizen.get("/tampilan?teks=2&next=/")
    walk_to_review(citizen, kind="tip")
    submit(citizen)
    page = citizen.post("/lapor/selesai").get_data(as_text=True)
    assert '<html lang="en" class="text-2"' in page


def test_display_preferences_are_remembered_and_switched_back(citizen):
    response = citizen.client.get("/tampilan?teks=3&next=/status")
    assert response.status_code == 303 and response.headers["Location"] == "/status"
    citizen.client.get("/tampilan?kontras=1&next=/")
    assert '<html lang="id" class="text-3 contrast"' in citizen.get("/status").get_data(as_text=True)
    citizen.client.get("/tampilan?kontras=0&teks=1&next=/")
    assert '<html lang="id" class="">' in citizen.get("/status").get_data(as_text=True)


def test_static_files_are_fingerprinted_cached_and_compressed(client):
    page = client.get("/").get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert urls and all(re.search(r"\?v=[0-9a-f]{10}$", url) for url in urls)
    for url in urls:
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["Content-Encoding"] == "gzip"


def test_html_is_compressed(client):
    response = client.get("/lapor/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]


def test_htmx_step_post_answers_with_the_next_step(citizen):
    citizen.get("/lapor/kejadian?jenis=formal")
    data = dict(event_answers(), csrf_token=citizen.token)
    response = citizen.client.post("/lapor/kejadian", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Push-Url"] == "/lapor/terlapor"
    page = response.get_data(as_text=True)
    assert page.lstrip().startswith('<section id="step"') and html.has(page, '#step input[name="terlapor_name"]')
