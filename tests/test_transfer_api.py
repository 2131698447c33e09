"""The hub's side of transfers between offices, spoken to as an office would (signed requests on the hub's own
test client and SQLite file): a transferred report in a batch is held once however often it arrives; only the
office it is addressed to sees it, and only once a provincial key sealed it to that office's key; the others get
neither the report nor its files, and what they acknowledge changes nothing."""
import gzip
import hashlib
import json
import uuid

import pytest

from kiosk import keys as crypto
from kiosk import regions, tracking
from kiosk.store import evidence_store
from kiosk.sync.signing import canonical_json, sign
from kiosk.transfers import Transfer, digest, seal_waiting
from tests.support import keys
from tests.support.staff import make_hub_office

DISTRICT = regions.children("36.01")[0][0]
REPORT_KEY = crypto.new_secret()


@pytest.fixture
def hub(hub_app):
    for code in ("36.73", "36.01", "36.02"):
        make_hub_office(code)  # each signs with the token that is its code (tests.support.staff)
    return hub_app.test_client()


def call(hub, office, method, endpoint, payload=None):
    """(status, JSON answer) of a request signed by `office`."""
    body = b"" if payload is None else canonical_json(payload)
    headers = dict(sign(office, method, endpoint, office, body), **{"Content-Type": "application/json"})
    response = hub.open(f"/api/sync/{endpoint}", method=method, data=body, headers=headers)
    data = response.get_data()
    if response.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    return response.status_code, (json.loads(data) if response.mimetype == "application/json" else data)


def transferred(to="36.01", seq=1):
    """A report of Kota Serang transferred to `to`, as its sync sends it, with a photo and its status event."""
    report_id = uuid.uuid4().hex
    report = {"id": report_id, "change_seq": seq, "office_code": "36.73", "receipt_no": "0001/PL/36.73/XI/2026",
              "tracking_code": tracking.new_code(), "kind": "tip", "channel": "web",
              "submitted_at": "2026-11-20T03:00:00", "kajian_awal_due": "2026-11-24", "category": "politik_uang",
              "occurred_on": "2026-11-18", "learned_on": "2026-11-19", "regency_code": "36.01",
              "district_code": DISTRICT, "description": "Pembagian amplop.", "updated_at": "2026-11-20T03:00:00",
              "status": "dilimpahkan", "transfer_office": to, "key_hub": crypto.seal(keys.HUB_KEY, REPORT_KEY),
              "key_office": crypto.seal(keys.public("36.73"), REPORT_KEY)}
    photo = b"\xff\xd8 a sealed photo " + report_id.encode()
    sha = hashlib.sha256(photo).hexdigest()
    rows = {"report": [report],
            "evidence": [{"id": uuid.uuid4().hex, "change_seq": seq + 1, "report": report_id, "blob": sha,
                          "mime": "image/jpeg", "size": len(photo), "personal": "c2VhbGVk"}],
            "status_event": [{"id": uuid.uuid4().hex, "change_seq": seq + 2, "report": report_id, "status": "dilimpahkan",
                              "at": "2026-11-21T03:00:00", "detail": {"office": to, "transfer_reason": "wilayah"}}]}
    return {"after": 0, "upto": seq + 2, "final": True, "rows": rows}, photo


def held():
    return [(t.to_office, t.state) for t in Transfer.select()]


def test_a_transferred_report_is_held_once_and_reaches_only_its_office(hub, hub_app):
    batch, photo = transferred()
    assert call(hub, "36.73", "POST", "batch", batch)[0] == 200
    assert call(hub, "36.73", "POST", "batch", batch)[0] == 200  # the same batch again (a rerun)
    assert held() == [("36.01", "held")]
    evidence_store(hub_app.config).put_bytes(photo)

    status, page = call(hub, "36.01", "GET", "transfers")
    assert status == 200 and page["transfers"] == []  # not sealed to it yet
    assert call(hub, "36.01", "POST", "transfers/key", {"public_key": "not a key"})[0] == 400
    assert seal_waiting(keys.PRIVATE["36"]) == 0  # the office has not given its key: it waits
    for phone in ("0253 000000", "0253 123456"):  # given at every sync: the latest is kept
        assert call(hub, "36.01", "POST", "transfers/key", {"public_key": keys.public("36.01"),
                                                            "contact": {"phone": phone, "secret": "x"}})[0] == 200
    assert seal_waiting(keys.PRIVATE["36"]) == 1 and held() == [("36.01", "sealed")]
    empty = {"after": 0, "upto": 0, "final": True, "rows": {}}  # a sync with nothing new is told what waits
    assert call(hub, "36.01", "POST", "batch", empty)[1]["transfers"] == {
        "waiting": 1, "arrived": 0, "registered": digest(keys.public("36.01"), {"phone": "0253 123456"})}
    assert call(hub, "36.02", "POST", "batch", empty)[1]["transfers"] == {"waiting": 0, "arrived": 0, "registered": ""}

    status, page = call(hub, "36.01", "GET", "transfers")
    (item,) = page["transfers"]
    assert item["report"]["id"] == batch["rows"]["report"][0]["id"] and item["from_office"] == "36.73"
    assert crypto.open_sealed(keys.PRIVATE["36.01"], item["key"]) == REPORT_KEY  # re-sealed to the receiver
    sha = batch["rows"]["evidence"][0]["blob"]
    assert call(hub, "36.01", "GET", f"transfers/evidence/{sha}") == (200, photo)

    # Another office sees nothing of it, cannot fetch its file, and cannot acknowledge it.
    assert call(hub, "36.02", "GET", "transfers")[1]["transfers"] == []
    assert call(hub, "36.02", "GET", f"transfers/evidence/{sha}")[0] == 404
    ack = {"stored": [{"transfer": item["transfer"], "new_report": uuid.uuid4().hex, "receipt_no": "0001/PL/36.02/XI/2026"}]}
    assert call(hub, "36.02", "POST", "transfers/ack", ack)[0] == 200 and held() == [("36.01", "sealed")]

    # The receiver acknowledges (twice: a retry); the sender learns it arrived, with the receiver's contact.
    ack["stored"][0]["receipt_no"] = "0001/PL/36.01/XI/2026"
    assert call(hub, "36.01", "POST", "transfers/ack", ack)[0] == 200
    assert call(hub, "36.01", "POST", "transfers/ack", ack)[0] == 200 and held() == [("36.01", "stored")]
    assert call(hub, "36.01", "GET", "transfers")[1]["transfers"] == []
    (arrived,) = call(hub, "36.73", "GET", "transfers")[1]["arrived"]
    assert arrived["new_receipt_no"] == "0001/PL/36.01/XI/2026" and arrived["contact"] == {"phone": "0253 123456"}
    assert call(hub, "36.01", "POST", "transfers/ack", {"seen": [item["transfer"]]})[0] == 200  # not its own
    assert held() == [("36.01", "stored")]
    assert call(hub, "36.73", "POST", "transfers/ack", {"seen": [item["transfer"]]})[0] == 200
    assert held() == [("36.01", "done")] and call(hub, "36.73", "GET", "transfers")[1]["arrived"] == []


@pytest.mark.parametrize("to", ["36.73", "36", "36.99"])
def test_a_transfer_to_itself_or_to_no_office_is_refused(hub, to):
    batch, _photo = transferred(to=to)
    status, answer = call(hub, "36.73", "POST", "batch", batch)
    assert status == 422 and "report.transfer_office" in answer["error"] and held() == []


def test_the_transfer_api_takes_only_signed_requests(hub):
    assert hub.get("/api/sync/transfers").status_code == 401
    body = canonical_json({"seen": []})
    headers = sign("36.02", "POST", "transfers/ack", "36.73", body)  # signed with another office's token
    assert hub.post("/api/sync/transfers/ack", data=body, headers=headers).status_code == 401
