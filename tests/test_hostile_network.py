"""What a visitor controls of a request beyond its form (issue 10): the forwarded address, the Host header,
a link from another site, a token's age; and what the server gives away (/healthz, its logs)."""
import logging
import re

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from kiosk.health import record
from kiosk.models import Draft, Report
from tests.support import html
from tests.support.citizen import Citizen, event_answers, submit, walk_to_review
from tests.support.sealed import draft_of
from tests.support.staff import StaffMember, make_staff

PROXY = {"REMOTE_ADDR": "127.0.0.1"}  # nginx on the office machine


def behind_proxy(make_app, **settings):
    return make_app("d", MIN_FORM_SECONDS=0, TRUSTED_PROXIES="127.0.0.1", **settings)


# ---- KIOSK_TRUSTED_PROXIES and the kiosk machines behind them ----

def test_behind_a_proxy_visitors_are_not_kiosks_unless_listed(make_app):
    app = behind_proxy(make_app, DEVICES="192.168.1.50")
    phone = app.test_client()
    phone.get("/kiosk", environ_base=PROXY, headers={"X-Forwarded-For": "203.0.113.9"}, follow_redirects=True)
    assert not html.has(phone.get("/", environ_base=PROXY, headers={"X-Forwarded-For": "203.0.113.9"}),
                        "body[data-kiosk]")
    kiosk = app.test_client()
    page = kiosk.get("/kiosk", environ_base=PROXY, headers={"X-Forwarded-For": "192.168.1.50"}, follow_redirects=True)
    assert html.has(page, "body[data-kiosk]")  # the listed machine is a kiosk


def test_behind_a_proxy_no_one_is_a_kiosk_by_default(make_app):
    app = behind_proxy(make_app)
    client = app.test_client()
    page = client.get("/kiosk", environ_base=PROXY, headers={"X-Forwarded-For": "127.0.0.1"}, follow_redirects=True)
    assert not html.has(page, "body[data-kiosk]")


def test_one_visitors_failed_sign_ins_behind_a_proxy_do_not_lock_out_another(make_app):
    app = behind_proxy(make_app, RATE_LOGIN="100 per minute")
    make_staff("admin", "admin")
    attacker, admin = StaffMember(app.test_client()), StaffMember(app.test_client())
    attacker.client.environ_base.update(PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    admin.client.environ_base.update(PROXY, HTTP_X_FORWARDED_FOR="203.0.113.20")
    for _ in range(12):
        attacker.login("admin", password="wrong password, guessed")
    assert "locked" in attacker.login("admin").get_data(as_text=True)
    assert admin.login("admin").request.path == "/staff/"


def test_forwarded_headers_from_anyone_but_a_listed_proxy_are_ignored(make_app):
    app = behind_proxy(make_app, RATE_STATUS="2 per minute")
    client = app.test_client()
    stranger = {"REMOTE_ADDR": "203.0.113.9"}
    codes = [client.get(f"/status?kode={n:016d}", environ_base=stranger,
                        headers={"X-Forwarded-For": f"10.0.0.{n}"}).status_code for n in range(3)]
    assert codes == [200, 200, 429]  # a made-up X-Forwarded-For does not make a new visitor


# ---- KIOSK_ALLOWED_HOSTS and the receipt's address ----

def test_a_made_up_host_header_is_refused(client):
    assert client.get("/lapor/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/lapor/", headers={"Host": "localhost:8000"}).status_code == 200


def test_the_public_urls_host_is_answered_and_no_other(make_app):
    app = make_app("d", PUBLIC_URL="http://lapor.bawaslu-serangkota.go.id")
    client = app.test_client()
    assert client.get("/lapor/", headers={"Host": "lapor.bawaslu-serangkota.go.id"}).status_code == 200
    assert client.get("/lapor/", headers={"Host": "evil.example"}).status_code == 400


def test_a_receipt_never_prints_a_loopback_address(citizen):
    walk_to_review(citizen)
    receipt = submit(citizen)[0]
    text = receipt.get_data(as_text=True)
    assert "localhost" not in text.lower() and "127.0.0.1" not in text and not html.has(receipt, "figure.qr")
    assert "Ikuti status dengan kode pelacakan Anda di situs web kantor" in text


def test_admins_are_told_when_the_public_address_is_missing(staff_as, app):
    warning = "KIOSK_PUBLIC_URL is not set"
    assert warning in staff_as("admin").get("/staff/").get_data(as_text=True)
    app.config["PUBLIC_URL"] = "https://lapor.bawaslu-serangkota.go.id"
    assert warning not in staff_as("admin").get("/staff/").get_data(as_text=True)


# ---- /healthz ----

def test_healthz_tells_the_public_only_status_role_and_schema(app, client):
    record("sync", "error: hub unreachable at https://hub.internal.example:8443 (connection refused)")
    public = client.get("/healthz", environ_base={"REMOTE_ADDR": "203.0.113.9"}).get_json()
    assert set(public) == {"status", "role", "schema_version"}
    local = client.get("/healthz").get_json()  # this machine's monitoring
    assert "hub.internal.example" in local["last_sync"]["result"]
    make_staff("petugas")
    member = StaffMember(app.test_client())
    member.client.environ_base.update(REMOTE_ADDR="203.0.113.9")
    member.login("petugas")
    assert "hub.internal.example" in member.client.get("/healthz").get_json()["last_sync"]["result"]


# ---- the logs ----

def test_rate_limit_log_lines_carry_no_address(make_app, caplog):
    client = make_app("d", RATE_STATUS="1 per minute").test_client()
    with caplog.at_level(logging.DEBUG):
        codes = [client.get("/status?kode=1234", environ_base={"REMOTE_ADDR": "203.0.113.77"}).status_code
                 for _ in range(3)]
    assert codes[-1] == 429
    assert any("exceeded" in record.getMessage() for record in caplog.records)  # it was logged
    assert not any("203.0.113.77" in record.getMessage() for record in caplog.records)


# ---- GETs from another site change nothing ----

CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}


def test_a_link_from_another_site_to_kiosk_does_not_discard_the_draft(citizen):
    citizen.get("/lapor/kejadian?jenis=formal")
    citizen.post("/lapor/kejadian", event_answers(action="save"))
    draft = draft_of(citizen)
    citizen.client.get("/kiosk", headers=CROSS_SITE)
    assert draft_of(citizen) == draft and Draft.select().count() == 1
    citizen.client.get("/kiosk", headers={"Referer": "https://evil.example/page"})  # an older browser
    assert draft_of(citizen) == draft
    citizen.client.get("/kiosk", headers={"Sec-Fetch-Site": "none"})  # the kiosk's own launch: a clean visit
    assert Draft.select().count() == 0


def test_a_link_from_another_site_does_not_switch_the_drafts_kind(citizen):
    citizen.get("/lapor/kejadian?jenis=formal")
    page = citizen.client.get("/lapor/kejadian?jenis=tip", headers=CROSS_SITE)
    assert page.status_code == 200 and draft_of(citizen)["kind"] == "formal"
    citizen.client.get("/lapor/kejadian?jenis=tip", headers={"Sec-Fetch-Site": "same-origin"})
    assert draft_of(citizen)["kind"] == "tip"  # the start page's own link still switches it


# ---- assisted entry ----

def test_an_account_of_another_office_cannot_file_assisted_reports_here(staff_as):
    other = staff_as("other")
    assert other.get("/staff/bantu").status_code == 403
    assert other.post("/staff/bantu", {"kind": "tip"}).status_code == 403
    assert Draft.select().count() == 0
    assert staff_as("petugas").post("/staff/bantu", {"kind": "tip"}).request.path == "/lapor/kejadian"


# ---- CSRF tokens: a day's lifetime ----

def token_aged(client, app, seconds):
    """The session's CSRF token as a form would carry it, signed `seconds` ago."""
    with client.session_transaction() as session:
        raw = session["csrf_token"]

    class Then(TimestampSigner):
        def get_timestamp(self):
            return super().get_timestamp() - seconds

    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token", signer=Then).dumps(raw)


@pytest.mark.parametrize("hours, kept", [(23, True), (25, False)])
def test_a_csrf_token_lives_a_day_and_a_stale_one_keeps_the_draft(citizen, app, hours, kept):
    citizen.get("/lapor/kejadian?jenis=formal")
    citizen.post("/lapor/kejadian", event_answers(action="save", place_detail="Disimpan dulu"))
    token = token_aged(citizen.client, app, hours * 3600)
    response = citizen.client.post("/lapor/kejadian", data=event_answers(csrf_token=token, place_detail="Baru"))
    assert (response.status_code != 400) is kept
    if not kept:  # the friendly 400: the draft as it was saved
        assert "Anda ketik tetap tersimpan" in response.get_data(as_text=True)
        assert draft_of(citizen)["fields"]["place_detail"] == "Disimpan dulu"


# ---- right-to-left and zero-width characters ----

def test_direction_and_zero_width_characters_never_reach_staff(app, staff_as):
    person = Citizen(app.test_client())
    walk_to_review(person, event=event_answers(place_detail="Balai desa \u202eRAHASIA\u202c", description=(
        "Pembagian uang oleh tim sukses calon\u200b nomor 3 kepada warga desa.")))
    submit(person)
    report = Report.get()
    page = staff_as("petugas").get(f"/staff/laporan/{report.id}").get_data(as_text=True)
    assert "Balai desa RAHASIA" in page and "calon nomor 3" in page
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200b-\u200f]", page)
    assert report.place_detail == "Balai desa \u202eRAHASIA\u202c"  # kept as the reporter sent it
