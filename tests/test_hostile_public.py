"""Hostile input at every form and address of the citizen's side: each step of the report, the
witness and evidence actions, the review and the send, the status lookup and the language and
display switches. Never a server error, never a payload unescaped, never a redirect off the site;
NUL and other control characters are dropped on arrival, everywhere alike."""
import re
from pathlib import Path
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape
from werkzeug.datastructures import MultiDict

from kiosk.models import Report
from tests.support.sealed import draft_of
from tests.support.citizen import REPORTER, TERLAPOR, Citizen, event_answers, submit, walk_to_review
from tests.support.hostile import CSRF, HOSTILE, XSS, check_page, form_data, hostile, token_of

STEPS = {
    "kejadian": ["category", "occurred_on", "learned_on", "regency", "district", "village", "place_detail",
                 "description", "action"],
    "terlapor": ["terlapor_name", "terlapor_role", "terlapor_address", "terlapor_phone", "action"],
    "saksi": ["witness_name", "witness_address", "witness_phone", "action"],
    "bukti": ["physical", "physical_desc", "action"],
    "batas-waktu": ["choice"],
    "pelapor": [name for name in REPORTER] + ["warnings_seen"],
    "kontak": ["reporter_name", "reporter_phone", "reporter_email", "action"],
    "kirim": ["submit_key", "declared_true", "action"],
}
ACTIONS = st.one_of(
    st.sampled_from(["next", "add", "refresh", "upload", "send", "remove:0", "remove:4", "remove:-1", "remove:²",
                     "remove:٣", "remove:", "remove:../kiosk.sqlite3", "remove:../secret_key", "remove:/etc/passwd",
                     "remove:" + "0" * 64]),
    st.builds("remove:{}".format, hostile), hostile)


@pytest.fixture
def quiet_app(make_app):
    """The app without rate limits (every example is many requests from one address)."""
    return make_app("data", MIN_FORM_SECONDS=0, RATE_LIMITS=False)


@pytest.fixture
def person(quiet_app):
    return Citizen(quiet_app.test_client())


def data_folder_intact(app):
    """The database and the secret key are where they were (no 'remove:' reached outside evidence/)."""
    folder = Path(app.config["DATA_DIR"])
    return (folder / "kiosk.sqlite3").is_file() and (folder / "secret_key").is_file()


@pytest.mark.parametrize("step", STEPS)
@HOSTILE
@given(data=st.data())
def test_every_step_survives_hostile_posts(quiet_app, person, step, data):
    client = person.client
    kind = "tip" if step == "kontak" else "formal"
    start = check_page(client.get(f"/lapor/kejadian?jenis={kind}"))  # a draft of this step's kind
    form = data.draw(form_data(STEPS[step], action=ACTIONS), label="form")
    form["csrf_token"] = CSRF.search(start).group(1)
    htmx = {"HX-Request": "true"} if data.draw(st.booleans(), label="htmx") else {}
    url = "/lapor/kirim" if step == "kirim" else f"/lapor/{step}"
    check_page(client.post(url, data=form, headers=htmx, follow_redirects=True))
    # What was kept in the draft is shown again: the review, and the step itself.
    for follow in ("/lapor/periksa", "/lapor/periksa?kembali=1&cek=1", f"/lapor/{step}?cek=1"):
        check_page(client.get(follow, follow_redirects=True))
    assert data_folder_intact(quiet_app)


LINKS = {
    "/status": ["kode"],
    "/bahasa/en": ["next"],
    "/bahasa/id": ["next"],
    "/tampilan": ["teks", "kontras", "next"],
    "/lapor/wilayah": ["regency"],
    "/lapor/kejadian": ["jenis", "kembali", "cek"],
    "/lapor/periksa": ["kembali", "cek"],
    "/staff/login": ["next", "idle"],
    "/": ["next"],
}


def local(location):
    """Whether a redirect stays on this site."""
    return location.startswith("/") and not location.startswith("//") and "\\" not in location


@pytest.mark.parametrize("path", LINKS)
@HOSTILE
@given(data=st.data())
def test_addresses_with_hostile_query_strings(person, path, data):
    query = data.draw(form_data(LINKS[path]), label="query")
    htmx = {"HX-Request": "true"} if data.draw(st.booleans(), label="htmx") else {}
    response = person.client.get(path, query_string=query, headers=htmx)
    check_page(response)
    if response.status_code in (301, 302, 303, 307, 308):
        assert local(response.headers["Location"]), response.headers["Location"]


@HOSTILE
@given(raw=st.binary(max_size=200), quoted=st.booleans(), where=st.sampled_from(["query", "form", "multipart"]))
def test_bytes_no_browser_sends_never_crash(person, raw, quoted, where):
    """Invalid UTF-8, a surrogate encoded in UTF-8 (what a lone surrogate would be), overlong forms:
    in a query string, a form body or a multipart field and file name."""
    client = person.client
    token = token_of(client, "/lapor/kejadian?jenis=formal").encode()
    value = quote_from_bytes(raw).encode() if quoted else raw
    for sample in (value, b"\xed\xa0\x80" + value, value + b"\xc0\xaf\xff"):
        if where == "query":
            # WSGI carries the raw bytes of a query string as latin-1 text
            response = client.get("/status", environ_overrides={"QUERY_STRING": (b"kode=" + sample).decode("latin-1")})
        elif where == "form":
            body = b"csrf_token=" + token + b"&terlapor_name=" + sample + b"&terlapor_address=" + sample + b"&action=next"
            response = client.post("/lapor/terlapor", data=body, content_type="application/x-www-form-urlencoded")
        else:
            body = (b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + token +
                    b"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"physical_desc\"\r\n\r\n" + sample +
                    b"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" +
                    sample.replace(b'"', b"").replace(b"\r", b"").replace(b"\n", b"") +
                    b".png\"\r\nContent-Type: image/png\r\n\r\n" + sample + b"\r\n--XyZ--\r\n")
            response = client.post("/lapor/bukti", data=body, content_type="multipart/form-data; boundary=XyZ")
        check_page(response)
        check_page(client.get("/lapor/periksa", follow_redirects=True))


@pytest.mark.parametrize("payload", XSS)
def test_payloads_typed_into_a_step_come_back_escaped(person, payload):
    """A step with a mistake shows what was typed again: as text, never as markup."""
    person.get("/lapor/kejadian?jenis=formal")
    page = check_page(person.post("/lapor/terlapor", {"terlapor_name": payload, "terlapor_address": payload,
                                                     "terlapor_role": "", "action": "next"}))
    assert "error-summary" in page
    assert f'value="{escape(payload)}"' in page  # the name's input
    assert f">{escape(payload)}</textarea>" in page  # the address's textarea
    page = check_page(person.get("/lapor/periksa"))
    assert str(escape(payload)) in page


def test_nul_and_control_characters_are_dropped_on_arrival(person, quiet_app):
    person.get("/lapor/kejadian?jenis=formal")
    page = person.post("/lapor/terlapor", dict(TERLAPOR, terlapor_name="Tim\x00 Sukses\x07 \x1bNomor\t3",
                                               terlapor_role="x")).get_data(as_text=True)
    assert 'value="Tim Sukses Nomor\t3"' in page
    with quiet_app.app_context():
        assert draft_of(person)["fields"]["terlapor_name"] == "Tim Sukses Nomor\t3"
    lookup = person.client.get("/status?kode=1234%00-5678").get_data(as_text=True)
    assert 'value="1234-5678"' in lookup


def test_a_line_break_or_backslash_in_next_never_leaves_the_site(client):
    for target in ("/%0d%0aSet-Cookie:%20a=1", "/%5Cevil.example", "/%5C/evil.example", "/%09/evil.example",
                   "//evil.example", "https://evil.example/", "/%00", "javascript:alert(1)"):
        for switch in ("/bahasa/en", "/tampilan?teks=2&"):
            response = client.get(f"{switch}{'&' if '?' in switch else '?'}next={target}")
            assert response.status_code == 303
            assert response.headers["Location"] == "/", target
    assert client.get("/bahasa/en?next=/status%3Fkode%3D1").headers["Location"] == "/status?kode=1"


def test_removing_a_witness_by_a_number_no_person_could_press(person, quiet_app):
    person.get("/lapor/kejadian?jenis=formal")
    person.post("/lapor/saksi", {"witness_name": "Budi Santoso", "action": "add"})
    for action in ("remove:²", "remove:٣", "remove:-1", "remove:99", "remove:x"):
        response = person.post("/lapor/saksi", {"action": action})
        assert response.status_code == 200 and "Budi Santoso" in response.get_data(as_text=True)
    person.post("/lapor/saksi", {"action": "remove:0"})
    with quiet_app.app_context():
        assert draft_of(person)["witnesses"] == []


@pytest.mark.parametrize("target", ["../kiosk.sqlite3", "../secret_key", "/etc/hostname", "..", ""])
def test_removing_evidence_never_reaches_outside_the_evidence_folder(person, quiet_app, target):
    """The evidence step's 'remove:<hash>' names a file: only a file of this draft is ever removed."""
    folder = Path(quiet_app.config["DATA_DIR"])
    outside = Path("/etc/hostname").read_bytes() if Path("/etc/hostname").exists() else None
    person.get("/lapor/kejadian?jenis=formal")
    check_page(person.post("/lapor/bukti", {"action": f"remove:{target}"}))
    assert (folder / "kiosk.sqlite3").is_file() and (folder / "secret_key").is_file()
    if outside is not None:
        assert Path("/etc/hostname").read_bytes() == outside
    assert person.get("/lapor/periksa").status_code == 200  # and the database still answers


def test_review_of_a_draft_with_steps_skipped(person):
    """Straight from the first step to the review (a typed address, a bookmark): the review names the
    step to complete instead of failing."""
    person.get("/lapor/kejadian?jenis=formal")
    person.post("/lapor/kejadian", event_answers())
    person.post("/lapor/bukti", {"physical": "y", "action": "upload"})  # ticked, nothing said
    page = check_page(person.get("/lapor/periksa"))
    assert "/lapor/terlapor?kembali=1&amp;cek=1" in page


@pytest.mark.parametrize("learned", ["1900-01-02", "1999-12-31", "2025-12-29"])
def test_dates_before_the_known_holidays_go_on_to_the_deadline_notice(person, learned):
    """lokal-id knows public holidays from 2026: an earlier date still counts working days (weekends
    off), and the formal report is late, with the choice to go on or send it as a tip."""
    person.get("/lapor/kejadian?jenis=formal")
    person.post("/lapor/kejadian", event_answers(occurred_on="1900-01-01", learned_on=learned))
    person.post("/lapor/terlapor", TERLAPOR)
    person.post("/lapor/saksi", {"action": "next"})
    page = check_page(person.post("/lapor/bukti", {"action": "next"}))
    assert 'name="choice"' in page  # the deadline notice
    review = walk_to_review(person, event=event_answers(occurred_on="1900-01-01", learned_on=learned))
    assert review.status_code == 200


def test_repeated_fields_count_once_and_missing_ones_are_empty(person, quiet_app):
    """Missing and repeated fields: a repeated field counts once (the first), a missing one is empty."""
    token = token_of(person.client, "/lapor/kejadian?jenis=formal")
    form = MultiDict([("csrf_token", token), ("terlapor_name", "Pertama"), ("terlapor_name", "Kedua"),
                      ("terlapor_role", "asn"), ("terlapor_role", "lainnya"), ("action", "next"), ("action", "add")])
    check_page(person.client.post("/lapor/terlapor", data=form))
    with quiet_app.app_context():
        fields = draft_of(person)["fields"]
    assert fields["terlapor_name"] == "Pertama" and fields["terlapor_role"] == "asn"
    assert re.search(r'value="Pertama"', person.get("/lapor/terlapor").get_data(as_text=True))


def test_a_tracking_code_typed_with_full_width_digits_is_found(person, quiet_app):
    """A phone keyboard may type １２３ (full width): read as 123. '²' is no digit of a code."""
    walk_to_review(person, kind="tip")
    submit(person)
    with quiet_app.app_context():
        report = Report.get()
    wide = "".join(chr(ord(digit) + 0xFEE0) for digit in report.tracking_code)
    assert report.receipt_no in check_page(person.client.get(f"/status?kode={wide}"))
    assert "Check the code" in check_page(person.client.get("/status?kode=" + "²" * 16,
                                                              headers={"Accept-Language": "en"}))


def test_the_hub_refuses_a_timestamp_of_digits_int_cannot_read(hub_app):
    hub = hub_app
    headers = {"X-Kiosk-Office": "36.73", "X-Kiosk-Timestamp": "²³", "X-Kiosk-Nonce": "0" * 32,
               "X-Kiosk-Signature": "0" * 64}
    response = hub.test_client().post("/api/sync/batch", data=b"{}", headers=headers)
    assert response.status_code == 400
