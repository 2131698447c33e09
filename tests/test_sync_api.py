"""The hub's ingest API, spoken to directly over HTTP against a live hub server: it refuses a bad
signature, an unknown or revoked office, a replayed or stale batch, rows that claim another office,
and evidence that does not match its hash, and then applies nothing."""
import hashlib
import io
import itertools
import json
import time
import urllib.error
import urllib.request
import uuid


import pytest
from PIL import Image

from kiosk import tracking
from kiosk.sync.signing import canonical_json, sign
from kiosk.sync.bundles import BUNDLE_FILES, pack
from tests.support.servers import Server, execute, kiosk, query, stored_files

# a hub as a `kiosk serve` process (one per module and xdist worker, and kind of database)
pytestmark = [pytest.mark.process, pytest.mark.hubs]


@pytest.fixture(scope="module")
def hub(tmp_path_factory, hub_database):
    server = Server(tmp_path_factory.mktemp("api") / "hub", role="hub", office_code="36", **hub_database.settings())
    server.tokens = {}
    for code in ("36.73", "36.01", "36.02"):
        server.tokens[code] = kiosk(server.env, "hub-add-office", "--code", code).stdout.strip().splitlines()[-1]
    assert kiosk(server.env, "hub-revoke-office", "--code", "36.02").returncode == 0
    server.start()
    yield server
    server.stop()


RECEIPTS = itertools.count(1)


def report_row(office="36.73", seq=1, **changes):
    """A report as an office sends it."""
    row = {"id": uuid.uuid4().hex, "change_seq": seq, "office_code": office,
           "receipt_no": f"{next(RECEIPTS):04d}/PL/{office}/XI/2026", "tracking_code": tracking.new_code(),
           "kind": "tip", "channel": "web", "submitted_at": "2026-11-20T03:00:00", "kajian_awal_due": "2026-11-24",
           "category": "politik_uang", "occurred_on": "2026-11-18", "learned_on": "2026-11-19",
           "regency_code": office, "district_code": f"{office}.01", "description": "Pembagian amplop.",
           "updated_at": "2026-11-20T03:00:00"}
    row.update(changes)
    return row


SEALED = "c2VhbGVkIGJ5IHRoZSBvZmZpY2U="  # what a sealed field looks like to the hub: base64 it cannot open


def child_row(report_id, seq, **changes):
    return dict({"id": uuid.uuid4().hex, "change_seq": seq, "report": report_id, "personal": SEALED}, **changes)


def batch(*reports, witnesses=(), after=0, upto=None):
    rows = {"report": list(reports)}
    if witnesses:
        rows["witness"] = list(witnesses)
    seqs = [r["change_seq"] for r in (*reports, *witnesses)]
    return {"after": after, "upto": upto if upto is not None else max(seqs, default=after), "final": True,
            "rows": rows}


def send(hub, endpoint, body, headers, method="POST"):
    """(status, JSON answer) of a request to the hub's API."""
    request = urllib.request.Request(f"{hub.url}/api/sync/{endpoint}", data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def signed(hub, payload, office="36.73", token=None, endpoint="batch", **signing):
    body = payload if isinstance(payload, bytes) else canonical_json(payload)
    method = "PUT" if endpoint.startswith("evidence/") else "POST"
    headers = sign(token or hub.tokens[office], method, endpoint, office, body, **signing)
    return send(hub, endpoint, body, headers, method), headers, body


def held(hub, *rows):
    """How many of these rows the hub holds."""
    ids = [r["id"] for r in rows]
    found = query(hub.env["KIOSK_DATA_DIR"], f"SELECT count(*) FROM report WHERE id IN ({','.join('?' * len(ids))})",
                  *ids)[0][0]
    found += query(hub.env["KIOSK_DATA_DIR"], f"SELECT count(*) FROM witness WHERE id IN ({','.join('?' * len(ids))})",
                   *ids)[0][0]
    return found


def test_a_correctly_signed_batch_is_applied(hub):
    report = report_row()
    (status, answer), _, _ = signed(hub, batch(report, witnesses=[child_row(report["id"], 2)]))
    assert status == 200 and answer["applied"] == 2 and answer["ack"] == 2 and answer["missing"] == []
    assert held(hub, report) == 1


def test_bad_signature_is_refused(hub):
    report = report_row()
    (status, answer), _, _ = signed(hub, batch(report), token="not-the-office-token")
    assert (status, answer["error"]) == (401, "bad signature")
    payload = batch(report)
    headers = sign(hub.tokens["36.73"], "POST", "batch", "36.73", canonical_json(payload))
    payload["rows"]["report"][0]["description"] = "tampered on the way"
    assert send(hub, "batch", canonical_json(payload), headers)[0] == 401
    assert send(hub, "batch", canonical_json(payload), {})[0] == 401  # unsigned
    assert held(hub, report) == 0


def test_unknown_and_revoked_offices_are_refused(hub):
    report = report_row(office="36.04")
    (status, answer), _, _ = signed(hub, batch(report), office="36.04", token="whatever")
    assert (status, answer["error"]) == (401, "unknown office 36.04")
    report = report_row(office="36.02")
    (status, answer), _, _ = signed(hub, batch(report), office="36.02")
    assert (status, answer["error"]) == (403, "office 36.02 is revoked")
    assert held(hub, report) == 0


def test_a_replayed_batch_is_refused(hub):
    first = report_row()
    (status, _), headers, body = signed(hub, batch(first))
    assert status == 200
    status, answer = send(hub, "batch", body, headers)  # the very same request again
    assert status == 409 and "replayed" in answer["error"]

    late = report_row()
    (status, answer), _, _ = signed(hub, batch(late), now=time.time() - 600)  # captured ten minutes ago
    assert status == 401 and "timestamp" in answer["error"]
    (status, _), _, _ = signed(hub, batch(late), now=time.time() + 600)  # or dated ahead
    assert status == 401
    assert held(hub, late) == 0


def test_rows_claiming_another_office_are_refused_and_nothing_is_applied(hub):
    own, foreign = report_row(), report_row(office="36.01")
    (status, answer), _, _ = signed(hub, batch(own, foreign))
    assert status == 403 and "another office" in answer["error"]
    assert held(hub, own, foreign) == 0
    assert query(hub.env["KIOSK_DATA_DIR"], "SELECT last_sync_result FROM hub_office WHERE code = '36.73'")[0][0] \
        .startswith("error: rows claim another office's code")

    theirs = report_row(office="36.01")
    assert signed(hub, batch(theirs), office="36.01")[0][0] == 200
    sneaky = child_row(theirs["id"], 5)  # a witness slipped into another office's report
    (status, _), _, _ = signed(hub, batch(witnesses=[sneaky]))
    assert status == 403 and held(hub, sneaky) == 0
    overwrite = dict(theirs, change_seq=99, office_code="36.73", description="rewritten")  # taking its UUID
    assert signed(hub, batch(overwrite))[0][0] == 403
    assert query(hub.env["KIOSK_DATA_DIR"], "SELECT office_code, description FROM report WHERE id = ?",
                 theirs["id"]) == [("36.01", "Pembagian amplop.")]
    their_witness = child_row(theirs["id"], 6)
    assert signed(hub, batch(witnesses=[their_witness]), office="36.01")[0][0] == 200
    mine = report_row(seq=7)
    taken = dict(their_witness, report=mine["id"], change_seq=99)  # its UUID, moved under a report of ours
    assert signed(hub, batch(mine, witnesses=[taken]))[0][0] == 403
    assert held(hub, mine) == 0 and query(hub.env["KIOSK_DATA_DIR"], "SELECT report_id FROM witness WHERE id = ?",
                                          their_witness["id"]) == [(theirs["id"],)]


def test_a_child_whose_report_the_hub_does_not_hold_is_refused(hub):
    # The hub applies batches without SQLite's foreign-key checks (kiosk.db.bulk_writing): its own check
    # is what keeps an orphan out.
    orphan = child_row(uuid.uuid4().hex, 3)
    (status, answer), _, _ = signed(hub, batch(witnesses=[orphan]))
    assert status == 409 and "send the report first" in answer["error"]
    assert held(hub, orphan) == 0


def test_evidence_must_match_its_hash_and_belong_to_the_office(hub):
    photo = jpeg()
    sha = hashlib.sha256(photo).hexdigest()
    (status, answer), _, _ = signed(hub, photo, endpoint=f"evidence/{sha}")
    assert status == 404  # no evidence row of this office names it yet

    report = report_row()
    evidence = {"id": uuid.uuid4().hex, "change_seq": 2, "report": report["id"], "blob": sha,
                "mime": "image/jpeg", "size": len(photo), "personal": SEALED}
    payload = dict(batch(report), rows={"report": [report], "evidence": [evidence]}, upto=2)
    (status, answer), _, _ = signed(hub, payload)
    assert status == 200 and answer["missing"] == [sha]

    (status, answer), _, _ = signed(hub, photo + b"!", endpoint=f"evidence/{sha}")
    assert (status, answer["error"]) == (400, f"the file {sha} does not match its hash")
    (status, answer), _, _ = signed(hub, photo, endpoint=f"evidence/{sha}")
    assert status == 200
    (status, answer), _, _ = signed(hub, b"", endpoint="done")
    assert status == 200 and answer["missing"] == []


def jpeg(colour="teal"):
    """A small real photo (of its own bytes for each colour: the module's tests share one hub)."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG")
    return out.getvalue()


def test_a_bundle_of_files_is_stored_only_as_each_file_alone_would_be(hub):
    photos = [jpeg(colour) for colour in ("olive", "maroon", "silver")]
    hashes = [hashlib.sha256(photo).hexdigest() for photo in photos]
    report = report_row()
    files = [{"id": uuid.uuid4().hex, "change_seq": 2 + n, "report": report["id"], "blob": sha, "mime": "image/jpeg",
              "size": len(photo), "personal": SEALED} for n, (sha, photo) in enumerate(zip(hashes, photos))]
    assert signed(hub, dict(batch(report), rows={"report": [report], "evidence": files}, upto=4))[0][0] == 200

    def sent(body):
        return signed(hub, body, endpoint="evidence")[0]

    def held():
        return set(hashes) & set(stored_files(hub.env["KIOSK_DATA_DIR"]))

    stranger = jpeg("black")  # no row of the office names it
    status, answer = sent(pack([(hashes[0], photos[0]), (hashlib.sha256(stranger).hexdigest(), stranger)]))
    assert status == 404 and held() == set()
    for malformed in (photos[0],  # no list of files
                      pack([(hashes[0], photos[0])]) + b"!",  # bytes beyond the sizes listed
                      pack([(hashes[0], photos[0])] * (BUNDLE_FILES + 1)),
                      b'[["../../secret_key", 4]]\nsalt'):
        status, answer = sent(malformed)
        assert status == 400 and "bundle" in answer["error"] and held() == set()
    status, answer = sent(pack([(hashes[0], photos[0]), (hashes[1], photos[2])]))  # the second is not its bytes
    assert (status, answer["error"]) == (400, f"the file {hashes[1]} does not match its hash")
    assert held() == {hashes[0]}
    status, answer = sent(pack(list(zip(hashes, photos))))
    assert status == 200 and answer["stored"] == hashes and held() == set(hashes)
    assert stored_files(hub.env["KIOSK_DATA_DIR"])[hashes[2]] == hashes[2]  # the bytes as sent


def test_the_hub_checks_evidence_rows_as_the_office_does(hub):
    """A row claiming a program, or sealed data that is not base64 of its size, is refused; the content of a
    sealed file is checked against its row's type when provincial staff open it (tests/test_hub_staff.py)."""
    report = report_row()
    program = {"id": uuid.uuid4().hex, "change_seq": 2, "report": report["id"], "blob": "a" * 64,
               "mime": "application/x-msdownload", "size": 4096, "personal": SEALED}
    payload = dict(batch(report), rows={"report": [report], "evidence": [program]}, upto=2)
    (status, answer), _, _ = signed(hub, payload)
    assert status == 422 and answer["error"].startswith("evidence.mime")
    for personal in ("<script>alert(1)</script>", "A" * 10_000):
        (status, answer), _, _ = signed(hub, dict(payload, rows={"report": [report], "evidence": [
            dict(program, mime="image/jpeg", personal=personal)]}))
        assert status == 422 and answer["error"].startswith("evidence.personal")
    assert held(hub, report) == 0


@pytest.mark.parametrize("field,value", [
    ("kajian_awal_due", "9999-12-31"), ("kajian_checks", ["identity", "terlapor"]), ("status", "dibatalkan"),
    ("regency_code", "31.71"), ("description", "x" * 6000), ("submitted_at", "1999-12-31T23:00:00"),
    ("tracking_code", "1234567890123456"), ("registration_no", "001/Reg/LP/PL/Kota/36.01/XI/2026"),
    ("receipt_no", "0042/PL/36.01/XI/2026"), ("notices", "<script>"), ("notices", "QUFB" * 600),
])
def test_the_hub_checks_every_row_like_a_form(hub, field, value):
    report = report_row(**{field: value})
    (status, answer), _, _ = signed(hub, batch(report))
    assert status == 422 and answer["error"].startswith(f"report.{field}:")
    assert held(hub, report) == 0


def test_an_office_cannot_take_another_offices_numbers(hub):
    """36.01 sends a report numbered as 36.73's next receipt (and registration): refused, and 36.73's own
    report with those numbers is applied after it."""
    theirs = report_row(office="36.73", registration_no="007/Reg/LP/PL/Kota/36.73/XI/2026")
    hostile = dict(report_row(office="36.01"), receipt_no=theirs["receipt_no"],
                   registration_no=theirs["registration_no"])
    (status, answer), _, _ = signed(hub, batch(hostile), office="36.01")
    assert status == 422 and "not a receipt number of office 36.01" in answer["error"]
    same_number_own_office = dict(hostile, receipt_no=theirs["receipt_no"].replace("36.73", "36.01"),
                                  registration_no=theirs["registration_no"].replace("36.73", "36.01"))
    assert signed(hub, batch(same_number_own_office), office="36.01")[0][0] == 200  # its own number, its own office
    (status, answer), _, _ = signed(hub, batch(theirs))
    assert status == 200 and answer["applied"] == 1


def test_older_versions_never_replace_newer_ones(hub):
    report = report_row(seq=10, status="kajian_awal")
    assert signed(hub, batch(report))[0][0] == 200
    older = dict(report, change_seq=4, status="diterima")  # a batch that arrives late
    (status, answer), _, _ = signed(hub, batch(older))
    assert status == 200 and (answer["applied"], answer["skipped"]) == (0, 1)
    assert query(hub.env["KIOSK_DATA_DIR"], "SELECT status, change_seq FROM report WHERE id = ?",
                 report["id"]) == [("kajian_awal", 10)]


def test_nothing_the_hub_stores_can_sign_a_batch(hub):
    """A thief of the hub's database finds each office's public key, which verifies and cannot sign: a
    batch signed with it (or with what the hub stored before public keys) is refused and changes nothing."""
    stored = dict(query(hub.env["KIOSK_DATA_DIR"], "SELECT code, public_key FROM hub_office"))
    assert all(len(key) == 64 for key in stored.values())
    assert not query(hub.env["KIOSK_DATA_DIR"], "SELECT code FROM hub_office WHERE token_hash != ''")
    report = report_row(seq=10 ** 12, description="overwritten by a forged batch")
    for secret in (stored["36.73"], hashlib.sha256(stored["36.73"].encode()).hexdigest()):
        (status, answer), _, _ = signed(hub, batch(report), token=secret)
        assert (status, answer["error"]) == (401, "bad signature")
    assert held(hub, report) == 0


def test_change_numbers_that_jump_implausibly_far_are_refused(hub):
    report = report_row(seq=10 ** 12)
    (status, answer), _, _ = signed(hub, batch(report))  # signed by the office itself
    assert status == 422 and "implausibly far" in answer["error"]
    assert held(hub, report) == 0


def test_the_headers_and_the_size_are_checked_before_the_body_is_read(hub):
    big = b"x" * (40 * 1024 * 1024)
    started = time.monotonic()
    assert send(hub, "done", big, {"X-Kiosk-Office": "36.73"})[0] == 401  # unsigned
    headers = sign(hub.tokens["36.73"], "POST", "done", "36.73", b"")
    status, answer = send(hub, "done", big, headers)
    assert status == 413 and "larger than done takes" in answer["error"]
    stale = sign(hub.tokens["36.73"], "POST", "batch", "36.73", big, now=time.time() - 3600)
    assert send(hub, "batch", big, stale)[0] == 401
    assert time.monotonic() - started < 10


def test_an_office_registered_before_public_keys_enrols_once(hub, tmp_path):
    """An office registered with the old HMAC token syncs as before: on its first request the hub asks it
    to enrol, it gives the public key its token derives (signed the old way, once), and from then on the
    hub holds only that key and refuses the old signature."""
    from kiosk.sync import signing

    token = signing.new_token()
    execute(hub.env["KIOSK_DATA_DIR"], "INSERT INTO hub_office (code, token_hash, public_key, created_at, "
            "last_sync_result, last_seq) VALUES ('36.74', ?, '', '2026-11-01 00:00:00', '', 0)",
            signing.token_hash(token))
    office = Server(tmp_path / "office", office_code="36.74", hub_url=hub.url, hub_token=token)
    result = kiosk(office.env, "sync")
    assert result.returncode == 0, result.stderr
    assert query(hub.env["KIOSK_DATA_DIR"], "SELECT public_key, token_hash FROM hub_office WHERE code = '36.74'") \
        == [(signing.public_key(token), "")]
    legacy = signing.sign_legacy(token, "POST", "done", "36.74", b"{}")
    assert send(hub, "done", b"{}", legacy)[0] == 401
    assert kiosk(office.env, "sync").returncode == 0  # and it goes on syncing with its key


@pytest.mark.parametrize("bundled", [False, True], ids=["one-a-request", "bundles"])
def test_the_office_opens_only_hashes_from_the_hubs_list_of_missing_files(tmp_path, bundled):
    """The hub's answer comes from the network: '../secret_key' or '/dev/zero' in its list of missing
    evidence is never opened, let alone sent."""
    from kiosk.store import FileStore
    from kiosk.sync.client import Tally
    from kiosk.sync.uploads import Uploader

    class NoHub:
        tally = Tally()

        def twin(self):
            return self

        def call(self, *args, **kwargs):
            raise AssertionError("nothing may be sent")

        def close(self):
            pass

    (tmp_path / "secret_key").write_text("do not send")
    evidence = FileStore(tmp_path / "evidence")
    uploader = Uploader(NoHub(), evidence, 2, Tally())
    uploader.send(["../secret_key", "/dev/zero", "0" * 64], bundled=bundled)
    assert uploader.finish() == ["../secret_key", "/dev/zero", "0" * 64]


def addition_row(report_id, seq, **changes):
    """An addition (kiosk.completion) as an office sends it."""
    row = child_row(report_id, seq, kind="completion", at="2026-11-20T03:00:00", actor="", receipt_no="",
                    key_office=SEALED[:44], key_hub="")
    return dict(row, **changes)


def test_additions_and_their_files_reach_the_hub_checked(hub):
    report = report_row()
    added = addition_row(report["id"], 2, receipt_no=f"{report['receipt_no']}-L1")
    photo = jpeg("navy")  # not the file another test of this module already gave the shared hub
    file = {"id": uuid.uuid4().hex, "change_seq": 3, "report": report["id"], "addition": added["id"],
            "blob": hashlib.sha256(photo).hexdigest(), "mime": "image/jpeg", "size": len(photo), "personal": SEALED}
    payload = dict(batch(report), rows={"report": [report], "addition": [added], "evidence": [file]}, upto=3)
    (status, answer), _, _ = signed(hub, payload)
    assert status == 200 and answer["applied"] == 3
    assert (added["receipt_no"],) in query(hub.env["KIOSK_DATA_DIR"], "SELECT receipt_no FROM addition")
    assert file["blob"] in answer["missing"]  # the hub asks for the added file as for any other


@pytest.mark.parametrize("changes,field", [
    ({"kind": "gossip"}, "addition.kind"), ({"receipt_no": "0001/PL/36.01/XI/2026-L1"}, "addition.receipt_no"),
    ({"personal": "<b>Siti</b>"}, "addition.personal"),
])
def test_the_hub_checks_additions_like_a_form(hub, changes, field):
    report = report_row()
    added = addition_row(report["id"], 2, **{"receipt_no": f"{report['receipt_no']}-L1", **changes})
    (status, answer), _, _ = signed(hub, dict(batch(report), rows={"report": [report], "addition": [added]}, upto=2))
    assert status == 422 and answer["error"].startswith(field)
    assert held(hub, report) == 0


def test_a_file_cannot_claim_another_reports_addition(hub):
    first, second = report_row(), report_row(seq=2)
    added = addition_row(first["id"], 3, receipt_no=f"{first['receipt_no']}-L1")
    file = {"id": uuid.uuid4().hex, "change_seq": 4, "report": second["id"], "addition": added["id"],
            "blob": "b" * 64, "mime": "image/jpeg", "size": 10, "personal": SEALED}
    payload = dict(batch(first, second), rows={"report": [first, second], "addition": [added], "evidence": [file]},
                   upto=4)
    (status, answer), _, _ = signed(hub, payload)
    assert status == 409 and "addition of another report" in answer["error"]
    assert held(hub, first, second) == 0
