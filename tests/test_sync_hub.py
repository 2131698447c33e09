"""The hub's side in one process: what the provincial overview counts (per office, stale offices), the
signature rules, and the ingest API being absent at an office."""
import datetime as dt
import time
import uuid

import pytest

from kiosk import tallies
from kiosk.db import writing
from kiosk.deadlines import local_date
from kiosk.models import Report, utcnow
from kiosk.sync import signing
from kiosk.staff import province
from kiosk.sync.models import HubOffice


def add_report(office, submitted_at, status="diterima", category="politik_uang"):
    Report(id=uuid.uuid4(), change_seq=1, office_code=office, receipt_no=uuid.uuid4().hex,
           tracking_code=uuid.uuid4().hex, kind="tip", channel="web", submitted_at=submitted_at, status=status, kajian_awal_due=submitted_at.date(),
           category=category, occurred_on=submitted_at.date(), learned_on=submitted_at.date(), regency_code=office,
           district_code=f"{office}.01", description="x").save(force_insert=True, bump=False)
    tallies.recount(office, {local_date(submitted_at)})  # what ingest does for the rows of a batch


def test_per_office_counts_for_the_provincial_staff(hub_app):
    now = utcnow()
    with hub_app.app_context(), writing():
        for code in ("36.73", "36.01", "36.02"):
            HubOffice.create(code=code, public_key=signing.public_key(code))
        add_report("36.73", now)
        add_report("36.73", now, status="kajian_awal", category="tps")
        add_report("36.73", now - dt.timedelta(days=3))
        add_report("36.73", now - dt.timedelta(days=10), category="tps")
        add_report("36.01", now - dt.timedelta(days=5), status="selesai")
        HubOffice.update(last_ok_at=now - dt.timedelta(hours=2), last_sync_at=now - dt.timedelta(hours=2),
                         last_sync_result="ok").where(HubOffice.code == "36.73").execute()
        HubOffice.update(last_ok_at=now - dt.timedelta(hours=40), last_sync_at=now - dt.timedelta(hours=1),
                         last_sync_result="error: bad signature").where(HubOffice.code == "36.01").execute()

        overview = {row["code"]: row for row in province.office_rows(utcnow())}
        assert {code: row["today"] for code, row in overview.items()} == {"36.73": 2, "36.01": 0, "36.02": 0}
        assert {code: row["last_7_days"] for code, row in overview.items()} == {"36.73": 3, "36.01": 1, "36.02": 0}
        assert {code: row["by_status"] for code, row in overview.items()} == {
            "36.73": {"diterima": 3, "kajian_awal": 1}, "36.01": {"selesai": 1}, "36.02": {}}
        assert overview["36.73"]["by_category"] == {"politik_uang": 2, "tps": 2}
        assert [code for code, row in overview.items() if row["stale"]] == ["36.01", "36.02"]  # 40 h ago; never
        assert overview["36.73"]["reports"] == 4 and overview["36.73"]["today"] == 2 and not overview["36.73"]["stale"]
        assert overview["36.01"]["stale"] and overview["36.01"]["last_sync_result"] == "error: bad signature"
        assert overview["36.02"] == dict(overview["36.02"], reports=0, stale=True, last_sync_at=None)


def test_signature_covers_body_endpoint_office_and_time():
    token, body = signing.new_token(), b'{"rows":{}}'
    key = signing.public_key(token)
    headers = signing.sign(token, "POST", "batch", "36.73", body)
    assert signing.verify(key, "POST", "batch", headers, body) == ("36.73", headers[signing.NONCE])
    for method, endpoint, sent in (("POST", "batch", b'{"rows":{}} '), ("POST", "done", body),
                                   ("PUT", "batch", body)):
        with pytest.raises(signing.Refused, match="bad signature"):
            signing.verify(key, method, endpoint, headers, sent)
    with pytest.raises(signing.Refused, match="bad signature"):
        signing.verify(key, "POST", "batch", dict(headers, **{signing.OFFICE: "36.01"}), body)
    with pytest.raises(signing.Refused, match="timestamp"):
        signing.verify(key, "POST", "batch", headers, body, now=time.time() + signing.MAX_SKEW + 5)
    assert token not in key and len(key) == 64  # the hub keeps a public key, not the token
    with pytest.raises(signing.Refused, match="bad signature"):  # and nothing it holds signs a batch
        forged = signing.sign_legacy(token, "POST", "batch", "36.73", body)
        signing.verify(key, "POST", "batch", forged, body)


def test_office_has_no_ingest_api(client):
    assert client.post("/api/sync/batch", data=b"{}").status_code == 404


def test_hub_commands_refuse_unknown_codes_and_repeats(hub_app):
    runner = hub_app.test_cli_runner()
    with hub_app.app_context():  # as the `kiosk` command provides
        assert runner.invoke(args=["hub-add-office", "--code", "99.99"]).exit_code == 1
        first = runner.invoke(args=["hub-add-office", "--code", "36.72"])
        assert first.exit_code == 0 and "Bawaslu Kota Cilegon" in first.output
        token = first.output.strip().splitlines()[-1]
        assert HubOffice.get_by_id("36.72").public_key == signing.public_key(token)
        again = runner.invoke(args=["hub-add-office", "--code", "36.72"])
        assert again.exit_code == 1 and "already registered" in again.output
        assert runner.invoke(args=["hub-revoke-office", "--code", "36.03"]).exit_code == 1


def test_sync_is_for_offices_only(hub_app):
    with hub_app.app_context():
        result = hub_app.test_cli_runner().invoke(args=["sync"])
    assert result.exit_code == 1 and "this is the hub" in result.output


def test_one_sync_at_a_time(make_app, tmp_path):
    import fcntl

    app = make_app("office", HUB_URL="http://127.0.0.1:9", HUB_TOKEN="t" * 43)
    with open(tmp_path / "office" / "sync.lock", "a") as other:
        fcntl.flock(other, fcntl.LOCK_EX)  # the timer's run, still going
        with app.app_context():
            result = app.test_cli_runner().invoke(args=["sync"])
    assert result.exit_code == 1 and "another sync of this office is running" in result.output


def test_personal_data_goes_to_the_hub_only_over_https(make_app):
    app = make_app("office", HUB_URL="http://hub.example/", HUB_TOKEN="t" * 43)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["sync"])
        assert result.exit_code == 1 and "KIOSK_HUB_URL must use https" in result.output
        assert app.test_client().get("/healthz").get_json()["last_sync"]["result"].startswith("error: KIOSK_HUB_URL")
