"""The hub's ingest API, spoken to directly over HTTP against a live hub server: it refuses a bad
signature, an unknown or revoked office, a replayed or stale batch, rows that claim another office,
and evidence that does not match its hash, and then applies nothing."""
import hashlib
import json
import time
import urllib.error
import urllib.request
import uuid

import pytest

from kiosk import tracking
from kiosk.sync.signing import canonical_json, sign
from tests.support.servers import Server, kiosk, query

pytestmark = pytest.mark.process  # a hub as a `kiosk serve` process (one per module and xdist worker)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("api") / "hub", role="hub", office_code="36")
    server.tokens = {}
    for code in ("36.73", "36.01", "36.02"):
        server.tokens[code] = kiosk(server.env, "hub-add-office", "--code", code).stdout.strip().splitlines()[-1]
    assert kiosk(server.env, "hub-revoke-office", "--code", "36.02").returncode == 0
    server.start()
    yield server
    server.stop()


def report_row(office="36.73", seq=1, **changes):
    """A report as an office sends it."""
    row = {"id": uuid.uuid4().hex, "change_seq": seq, "office_code": office,
           "receipt_no": f"{uuid.uuid4().hex[:4]}/PL/{office}/XI/2026", "tracking_code": tracking.new_code(),
           "kind": "tip", "channel": "web", "submitted_at": "2026-11-20T03:00:00", "kajian_awal_due": "2026-11-24",
           "category": "politik_uang", "occurred_on": "2026-11-18", "learned_on": "2026-11-19",
           "regency_code": office, "district_code": f"{office}.01", "description": "Pembagian amplop.",
           "updated_at": "2026-11-20T03:00:00"}
    row.update(changes)
    return row


def child_row(report_id, seq, **changes):
    return dict({"id": uuid.uuid4().hex, "change_seq": seq, "report": report_id, "name": "Budi"}, **changes)


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


def test_evidence_must_match_its_hash_and_belong_to_the_office(hub):
    photo = b"\xff\xd8\xff\xe0 not really a photo but bytes all the same"
    sha = hashlib.sha256(photo).hexdigest()
    (status, answer), _, _ = signed(hub, photo, endpoint=f"evidence/{sha}")
    assert status == 404  # no evidence row of this office names it yet

    report = report_row()
    evidence = {"id": uuid.uuid4().hex, "change_seq": 2, "report": report["id"], "sha256": sha,
                "filename": "foto.jpg", "mime": "image/jpeg", "size": len(photo)}
    payload = dict(batch(report), rows={"report": [report], "evidence": [evidence]}, upto=2)
    (status, answer), _, _ = signed(hub, payload)
    assert status == 200 and answer["missing"] == [sha]

    (status, answer), _, _ = signed(hub, photo + b"!", endpoint=f"evidence/{sha}")
    assert (status, answer["error"]) == (400, "the file does not match its hash")
    (status, answer), _, _ = signed(hub, photo, endpoint=f"evidence/{sha}")
    assert status == 200
    (status, answer), _, _ = signed(hub, b"", endpoint="done")
    assert status == 200 and answer["missing"] == []


def test_older_versions_never_replace_newer_ones(hub):
    report = report_row(seq=10, status="kajian_awal")
    assert signed(hub, batch(report))[0][0] == 200
    older = dict(report, change_seq=4, status="diterima")  # a batch that arrives late
    (status, answer), _, _ = signed(hub, batch(older))
    assert status == 200 and (answer["applied"], answer["skipped"]) == (0, 1)
    assert query(hub.env["KIOSK_DATA_DIR"], "SELECT status, change_seq FROM report WHERE id = ?",
                 report["id"]) == [("kajian_awal", 10)]
