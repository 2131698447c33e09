"""The hub's side of transfers between offices (kiosk.transfers), on the signed sync API (kiosk.sync.api checks
every request's signature before these views run):

    POST /api/sync/transfers/key             the office's public key and contact details, at every sync
    GET  /api/sync/transfers                 what is addressed to the office (sealed to it), and the arrivals of
                                             what it sent; reading changes nothing, so asking again is harmless
    GET  /api/sync/transfers/evidence/<sha>  an evidence file of a report transferred to the office
    POST /api/sync/transfers/ack             the transfers the office stored, and the arrivals it has learnt
"""
import gzip
import uuid

from flask import Response, current_app, g, jsonify

from .. import keys, transfers
from ..db import db, writing
from ..limits import TEXT
from ..models import Addition, Evidence, Report, StatusEvent, Witness, utcnow
from ..store import Mismatch, evidence_store, is_sha256
from .rows import wire_rows
from .signing import Refused, canonical_json

PAGE = 20  # transfers per answer: a report with its rows is a few kilobytes; the office asks again for more


def children(report_id):
    """The rows of a report, by table, as the sync sends them."""
    return {"witness": wire_rows(Witness.select().where(Witness.report == report_id)),
            "addition": wire_rows(Addition.select().where(Addition.report == report_id)),
            "evidence": wire_rows(Evidence.select().where(Evidence.report == report_id)),
            "status_event": wire_rows(StatusEvent.select().where(
                StatusEvent.report == report_id).order_by(StatusEvent.at, StatusEvent.change_seq))}


def addressed(code):
    """(what waits for office `code`, sealed to it, with its rows; arrivals of what it sent; whether more waits)."""
    waiting = list(transfers.Transfer.select().where(transfers.Transfer.to_office == code,
                                                     transfers.Transfer.state == transfers.SEALED)
                   .order_by(transfers.Transfer.sealed_at).limit(PAGE + 1))
    out = []
    for transfer in waiting[:PAGE]:
        found = wire_rows(Report.select().where(Report.id == transfer.report))
        if not found:
            continue
        report = found[0]
        out.append({"transfer": transfer.report.hex, "from_office": transfer.from_office, "key": transfer.key_receiver,
                    "addition_keys": transfer.addition_keys or {}, "report": report,
                    "rows": children(transfer.report)})
    arrived = [{"transfer": t.report.hex, "to_office": t.to_office, "new_receipt_no": t.new_receipt_no,
                "stored_at": t.stored_at.isoformat() if t.stored_at else None, "contact": t.contact}
               for t in transfers.Transfer.select().where(transfers.Transfer.from_office == code,
                                                          transfers.Transfer.state == transfers.STORED).limit(PAGE)]
    return out, arrived, len(waiting) > PAGE


def register(bp, json_body, refusal):
    """Add the transfer views to the sync API's blueprint `bp` (with its JSON reader and refusal answer)."""

    @bp.post("/transfers/key")
    def transfers_key():
        """Keep the office's public key (for sealing what is transferred to it) and its contact details."""
        payload = json_body()
        key = payload.get("public_key") if isinstance(payload, dict) else None
        if not isinstance(key, str) or not keys.is_public_key(key):
            return refusal(Refused(400, "public_key must be an X25519 public key (base64)", reason="malformed"))
        transfers.register_key(g.office_code, key, transfers.given_contact(payload.get("contact")))
        return jsonify(registered=g.office_code)

    @bp.get("/transfers")
    def transfers_waiting():
        """What is addressed to the office, and the arrivals of what it sent (gzipped JSON)."""
        with db.atomic():  # one read transaction
            waiting, arrived, more = addressed(g.office_code)
        body = canonical_json({"transfers": waiting, "arrived": arrived, "more": more})
        return Response(gzip.compress(body, 6), mimetype="application/json", headers={"Content-Encoding": "gzip"})

    @bp.get("/transfers/evidence/<sha256>")
    def transfers_evidence(sha256):
        """An evidence file of a report transferred to the office (sealed as stored); 404 for any other."""
        if not is_sha256(sha256):
            return refusal(Refused(400, "not a SHA-256 hash", reason="malformed"))
        sent = (transfers.Transfer.select(transfers.Transfer.report)
                .where(transfers.Transfer.to_office == g.office_code,
                       transfers.Transfer.state.in_((transfers.SEALED, transfers.STORED))))
        if not Evidence.select().where(Evidence.blob == sha256, Evidence.report.in_(sent)).exists():
            return jsonify(error="no report transferred to this office has that file"), 404
        try:
            data = evidence_store(current_app.config).read(sha256)
        except (FileNotFoundError, Mismatch):
            return jsonify(error="the hub does not hold a good copy of this file"), 404
        return Response(data, mimetype="application/octet-stream")

    @bp.post("/transfers/ack")
    def transfers_ack():
        """Record what the office stored (its new report and number) and the arrivals it has learnt; what it
        names that is not addressed to it, or was recorded already, changes nothing."""
        payload = json_body()
        if not isinstance(payload, dict):
            return refusal(Refused(400, "an acknowledgement is a JSON object", reason="malformed"))
        stored, seen = payload.get("stored", []), payload.get("seen", [])
        if not (isinstance(stored, list) and isinstance(seen, list)) or len(stored) + len(seen) > 10 * PAGE:
            return refusal(Refused(400, "stored and seen must be short lists", reason="malformed"))
        contact = transfers.OfficeSealKey.get_or_none(transfers.OfficeSealKey.office_code == g.office_code)
        with writing():
            for item in stored:
                if not isinstance(item, dict):
                    continue
                transfer, new_report, number = (_uuid(item.get("transfer")), _uuid(item.get("new_report")),
                                                item.get("receipt_no"))
                if transfer and new_report and isinstance(number, str) and len(number) <= TEXT["agency_name"]:
                    transfers.Transfer.update(state=transfers.STORED, stored_at=utcnow(), new_report=new_report.hex,
                                              new_receipt_no=number,
                                              contact=contact.contact if contact else None).where(
                        transfers.Transfer.report == transfer, transfers.Transfer.to_office == g.office_code,
                        transfers.Transfer.state == transfers.SEALED).execute()
            ids = [found for found in map(_uuid, seen) if found]
            if ids:
                transfers.Transfer.update(state=transfers.DONE, done_at=utcnow()).where(
                    transfers.Transfer.report.in_(ids), transfers.Transfer.from_office == g.office_code,
                    transfers.Transfer.state == transfers.STORED).execute()
        return jsonify(ok=True)


def _uuid(value):
    """A UUID from 32 hex digits of the network, or None."""
    try:
        return uuid.UUID(hex=value) if isinstance(value, str) and len(value) == 32 else None
    except ValueError:
        return None
