"""Abuse guards: rate limits with a translated 429 page (a kiosk has its own, higher limits), the
honeypot and the minimum time, and the HTTPS-only headers and cookies."""
import datetime
import re

import pytest

from kiosk import tracking
from kiosk.models import Draft, Report
from tests.support.sealed import draft_of
from tests.support.citizen import Citizen, submit, walk_to_review

PHONE = {"REMOTE_ADDR": "203.0.113.9"}  # a phone on a carrier's network
KIOSK = {"REMOTE_ADDR": "127.0.0.1"}  # the office's kiosk machine (KIOSK_DEVICES)


def limited_app(make_app, **limits):
    return make_app("d", MIN_FORM_SECONDS=0, **limits)


def test_status_lookups_are_limited_with_a_translated_429(make_app):
    client = limited_app(make_app, RATE_STATUS="3 per minute").test_client()
    codes = [client.get(f"/status?kode={tracking.new_code()}", environ_base=PHONE).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    page = client.get("/status?kode=1", environ_base=PHONE)
    assert page.status_code == 429 and "Terlalu banyak percobaan" in page.get_data(as_text=True)
    english = client.get("/status?kode=1", environ_base=PHONE, headers={"Accept-Language": "en"})
    assert "Too many attempts" in english.get_data(as_text=True)
    assert client.get("/status", environ_base=PHONE).status_code == 200  # the empty form is never limited


def test_a_busy_kiosk_is_not_locked_out_by_the_phone_limit(make_app):
    client = limited_app(make_app, RATE_STATUS="3 per minute", RATE_STATUS_KIOSK="50 per minute").test_client()
    codes = {client.get(f"/status?kode={tracking.new_code()}", environ_base=KIOSK).status_code for _ in range(20)}
    assert codes == {200}
    assert client.get("/status?kode=1", environ_base=PHONE).status_code == 200  # its own count


def test_submissions_are_limited_and_the_draft_is_kept(make_app):
    app = limited_app(make_app, RATE_SUBMIT="2 per minute")
    person = Citizen(app.test_client())
    person.client.environ_base.update(PHONE)
    walk_to_review(person, kind="tip")
    page = person.get("/lapor/periksa").get_data(as_text=True)
    key = re.search(r'name="submit_key" value="([^"]+)"', page).group(1)
    answers = [person.post("/lapor/kirim", {"submit_key": "wrong", "declared_true": "y"}).status_code
               for _ in range(2)]
    refused = person.post("/lapor/kirim", {"submit_key": key, "declared_true": "y"})
    assert answers == [200, 200] and refused.status_code == 429
    assert Report.select().count() == 0 and Draft.select().count() == 1


def test_new_drafts_are_limited_too(make_app):
    client = limited_app(make_app, RATE_SUBMIT="3 per minute").test_client()
    codes = [client.get("/lapor/kejadian?jenis=tip", environ_base=PHONE).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_staff_login_is_limited(make_app):
    client = limited_app(make_app, RATE_LOGIN="2 per minute").test_client()
    person = Citizen(client)
    person.get("/staff/login", environ_base=PHONE)
    codes = [person.post("/staff/login", {"username": "x", "password": "y" * 12}, environ_base=PHONE).status_code
             for _ in range(3)]
    assert codes[-1] == 429


def test_filled_honeypot_is_refused_and_nothing_is_kept(citizen):
    citizen.get("/lapor/kejadian?jenis=formal")
    response = citizen.post("/lapor/terlapor", {"terlapor_name": "Bot", "website": "http://spam.example"})
    assert response.status_code == 400
    assert "terlapor_name" not in draft_of(citizen)["fields"]


def test_honeypot_is_hidden_from_people(citizen):
    page = citizen.get("/lapor/kejadian?jenis=formal").get_data(as_text=True)
    assert re.search(r'<div class="hp" aria-hidden="true">.*?tabindex="-1" autocomplete="off"', page)


def test_report_sent_faster_than_a_person_could_is_asked_again(citizen, app):
    app.config["MIN_FORM_SECONDS"] = 3600
    walk_to_review(citizen, kind="tip")
    first, key = submit(citizen)
    assert Report.select().count() == 0
    assert "error-summary" in first.get_data(as_text=True) and 'name="submit_key"' in first.get_data(as_text=True)
    Draft.update(created_at=datetime.datetime(2026, 1, 1)).execute()  # as if begun long ago
    submit(citizen)
    assert Report.select().count() == 1


@pytest.mark.parametrize("https", [False, True])
def test_hsts_and_secure_cookies_only_behind_https(make_app, https):
    app = make_app("d", PUBLIC_URL="https://lapor.example.go.id" if https else "")
    response = app.test_client().get("/lapor/kejadian?jenis=tip")
    assert ("Strict-Transport-Security" in response.headers) == https
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ("Secure" in cookie) == https
