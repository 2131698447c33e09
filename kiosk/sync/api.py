"""The hub's ingest API at /api/sync/ (registered only when KIOSK_ROLE=hub). Every request is signed
by an office (see `signing`); the views answer JSON, errors included.

    POST /api/sync/batch             rows changed at the office; answers what was applied
    PUT  /api/sync/evidence/<sha256> one evidence file, stored only if its bytes have that hash
    POST /api/sync/evidence          a bundle of evidence files (kiosk.sync.bundles), each checked as a PUT is
    POST /api/sync/done              the office has sent its files (and names those it cannot); answers
                                     what is still missing
    GET  /api/sync/evidence/<sha256> the hub's good copy of one of the office's files, for a repair
    GET  /api/sync/rows/<after>      the office's own rows held at the hub after a change number, for recovery
"""
import datetime as dt
import gzip
import json
import logging
import zlib

import peewee as pw
from flask import Blueprint, Response, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from .. import integrity
from ..db import bulk_writing, checkpoint, db, writing
from ..models import Evidence, Report, utcnow
from ..store import Mismatch, evidence_store, is_sha256
from ..web import full_disk
from . import bundles, ingest, refusals, rows, transfers
from .models import HubOffice, SeenNonce
from .signing import OFFICE, PUBLIC_KEY_SHAPE, Refused, canonical_json, claimed, verify, verify_legacy

bp = Blueprint("sync_api", __name__, url_prefix="/api/sync")
log = logging.getLogger(__name__)

MAX_JSON = 64 * 1024 * 1024  # a batch unpacked; far above 500 reports, far below a zip bomb's
NONCES_KEPT = dt.timedelta(days=2)  # well past the signature window, so a replay is always caught
SMALL_BODY = 64 * 1024  # `done` and `enrol` carry a few lines of JSON
BATCH_BODY = 32 * 1024 * 1024  # a gzipped batch


def body_limit(endpoint):
    """The most bytes a request to `endpoint` may carry, checked before any is read."""
    if endpoint == "batch":
        return BATCH_BODY
    if endpoint.startswith("evidence/"):
        return current_app.config["UPLOAD_MAX_MB"] * 1024 * 1024 + SMALL_BODY  # a file, sealed
    if endpoint == "evidence":  # a bundle: files up to BUNDLE_BYTES, or one file alone
        return max(current_app.config["UPLOAD_MAX_MB"] * 1024 * 1024, bundles.BUNDLE_BYTES) + SMALL_BODY
    return SMALL_BODY


def refusal(error):
    """A JSON error answer for `Refused`, logged and recorded against the office so that the hub's operator
    and the provincial staff see who was turned away, and why."""
    log.warning("sync refused (%s %s from %s): %s", request.method, request.path,
                request.headers.get(OFFICE, "?"), error.message)
    refusals.record(request.headers.get(OFFICE, ""), error)
    extra = {key: value for key, value in error.extra.items() if key != "gap"}
    return jsonify(error=error.message, **extra), error.status


@bp.errorhandler(HTTPException)
def http_error(error):
    """JSON, not the citizens' HTML error page, for an API client."""
    return jsonify(error=error.description or error.name), error.code


@bp.errorhandler(Exception)
def server_error(error):
    """Log the fault; answer a short JSON 500 (the office will retry on its next run), or 507 when the hub's disk
    is full (nothing of the request was kept: its transaction rolled back; the office tries again at its next
    sync rather than at once, since a full disk does not clear in seconds)."""
    full = full_disk(error)
    if full is not None:
        log.error("storage full on %s %s: %s", request.method, request.path, full)
        return jsonify(error="the hub's storage is full; nothing of this request was kept"), 507
    log.error("sync API failure on %s", request.path, exc_info=error)
    return jsonify(error="internal error at the hub"), 500


@bp.before_request
def authenticate():
    """Let through only a correctly signed, fresh, never-seen request from an active office. The headers
    (office, time, request id) and the body's size are checked before a byte of the body is read."""
    endpoint = request.path[len(bp.url_prefix) + 1:]
    try:
        code = claimed(request.headers)[0]
        office = HubOffice.get_or_none(HubOffice.code == code)
        if office is None:
            raise Refused(401, f"unknown office {code}")
        if (request.content_length or 0) > body_limit(endpoint):
            raise Refused(413, f"the body is larger than {endpoint.split('/')[0]} takes", reason="malformed")
        request.max_content_length = body_limit(endpoint)
        body = request.get_data(cache=True)
        if office.public_key:
            _, nonce = verify(office.public_key, request.method, endpoint, request.headers, body)
        elif office.token_hash and endpoint == "enrol":
            _, nonce = verify_legacy(office.token_hash, request.method, endpoint, request.headers, body)
        else:
            raise Refused(401, "this office must enrol its public key first", enrol=True, reason="enrol")
        if not office.active:
            raise Refused(403, f"office {code} is revoked", reason="revoked")
        with writing():
            if endpoint == "batch":  # once a sync is enough to forget the old ids, not once a file
                SeenNonce.delete().where(SeenNonce.seen_at < utcnow() - NONCES_KEPT).execute()
            SeenNonce.create(nonce=nonce, office_code=code)
    except pw.IntegrityError:
        return refusal(Refused(409, "replayed request: this batch id was already received", reason="replay"))
    except Refused as error:
        return refusal(error)
    g.office_code = code


# The encodings a body may come in, and the zlib window that unpacks each (gzip's header, or zlib's).
ENCODINGS = {"gzip": 31, "deflate": 15}


def json_body():
    """The request's JSON, unpacked when the office compressed it (Content-Encoding gzip or deflate), never
    beyond MAX_JSON: a bomb is refused once that much is unpacked, not after."""
    body = request.get_data(cache=True)
    encoding = request.headers.get("Content-Encoding", "identity").lower()
    if encoding in ENCODINGS:
        unpack = zlib.decompressobj(wbits=ENCODINGS[encoding])
        try:
            body = unpack.decompress(body, MAX_JSON)
        except zlib.error:
            raise Refused(400, f"the body is not valid {encoding}")
        if unpack.unconsumed_tail:
            raise Refused(413, "the unpacked batch is too large")
    elif encoding != "identity":
        raise Refused(415, f"unknown Content-Encoding {encoding[:20]!r} (gzip or deflate)")
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "the body is not JSON")


def _record_error(code, message):
    """Note a refused batch on the office's row, for the provincial staff."""
    with writing():
        HubOffice.update(last_sync_at=utcnow(), last_sync_result=f"error: {message}"[:250]).where(
            HubOffice.code == code).execute()


@bp.post("/batch")
def batch():
    """Apply a batch of rows from the authenticated office; answer what was applied."""
    code = g.office_code
    try:
        payload = json_body()
        with bulk_writing():
            office = HubOffice.get_by_id(code)
            answer = ingest.apply(office, payload, evidence_store(current_app.config))
    except Refused as error:
        if not error.extra.get("gap"):
            _record_error(code, error.message)
        return refusal(error)
    response = jsonify(dict(answer, bundles=True))  # this hub takes bundles of files (kiosk.sync.bundles)
    response.call_on_close(_checkpoint)  # once the office has its answer and reads on (kiosk.db.bulk_writing)
    return response


def _checkpoint():
    """Copy the batch from the WAL into the database file, on a connection of its own."""
    try:
        with db.connection_context():
            checkpoint()
    except pw.DatabaseError:
        log.warning("checkpoint after a batch failed; SQLite checkpoints at the next commit", exc_info=True)


@bp.put("/evidence/<sha256>")
def evidence_file(sha256):
    """Store one evidence file of the office, after checking its bytes hash to its name."""
    if not is_sha256(sha256):
        return refusal(Refused(400, "not a SHA-256 hash"))
    body = request.get_data(cache=True)
    return store_files(g.office_code, [(sha256, body)]) or jsonify(stored=sha256, size=len(body))


@bp.post("/evidence")
def evidence_files():
    """Store the evidence files of a bundle (kiosk.sync.bundles), each checked as a file PUT alone is."""
    try:
        files = bundles.unpack(request.get_data(cache=True))
    except Refused as error:
        return refusal(error)
    return store_files(g.office_code, files) or jsonify(stored=[sha256 for sha256, _ in files],
                                                        size=sum(len(data) for _, data in files))


def store_files(code, files):
    """Store `files` ([(sha256, bytes)]) of the office `code`, each named by an evidence row of that office and
    hashing to its name; None, or the refusal of the first that is not."""
    hashes = {sha256 for sha256, _ in files}
    if hashes - owned(code, hashes):
        return refusal(Refused(404, "no evidence row of this office has that hash; send the rows first"))
    # What arrives is sealed: its hash is checked here, its content (against the row's type) when provincial
    # staff open it (kiosk.staff.report).
    try:
        evidence_store(current_app.config).put_all(files)
    except Mismatch as error:
        return refusal(Refused(400, f"the file {error.expected} does not match its hash"))
    for sha256 in integrity.damaged_among(hashes):  # the hub had set its damaged copy aside: the office's is good
        integrity.repaired(current_app.config["OFFICE_CODE"], sha256, "evidence", "office")
    return None


@bp.post("/enrol")
def enrol():
    """An office registered before public keys, signed the old way, gives the hub the public key its token
    derives; from now on the hub holds only that key (never again what signs)."""
    payload = json_body()
    key = payload.get("public_key") if isinstance(payload, dict) else None
    if not isinstance(key, str) or not PUBLIC_KEY_SHAPE.fullmatch(key):
        return refusal(Refused(400, "public_key must be 64 hex digits"))
    with writing():
        HubOffice.update(public_key=key, token_hash="").where(HubOffice.code == g.office_code).execute()
    log.info("office %s enrolled its public key", g.office_code)
    return jsonify(enrolled=g.office_code)


@bp.get("/rows/<int:after>")
def rows_since(after):
    """The office's own rows the hub holds with a change number above `after`, a page at a time in change
    order (gzipped JSON): what an office restored from an older backup, or starting again from nothing, lost.
    Reading changes nothing, so asking again is harmless; the office resumes from the `upto` it applied."""
    code = g.office_code
    with db.atomic():  # one read transaction: the tables seen at the same moment
        page = rows.pending(after, current_app.config["SYNC_BATCH"], office=code,
                            max_bytes=current_app.config["SYNC_BATCH_BYTES"])
        office = HubOffice.get_by_id(code)
    body = canonical_json(dict(page.payload(final=not page.more), more=page.more, office_seq=office.last_seq))
    return Response(gzip.compress(body, 6), mimetype="application/json", headers={"Content-Encoding": "gzip"})


@bp.post("/done")
def done():
    """The office has sent the files it was asked for, and names those it cannot send (damaged or lost at
    the office): record the outcome, answer what is missing."""
    code = g.office_code
    payload = json_body() if request.get_data(cache=True) else {}  # offices before 0013 send no body
    said = payload.get("unsendable", []) if isinstance(payload, dict) else []
    with writing():
        office = HubOffice.get_by_id(code)
        missing = ingest.missing_evidence(code, evidence_store(current_app.config))
        # Only hashes the hub is waiting for count: the list comes from the network.
        damaged = sorted(set(missing) & {sha for sha in said if isinstance(sha, str)}) if isinstance(said, list) else []
        ingest.mark(office, missing, final=True, damaged=damaged)
    return jsonify(missing=missing, office_seq=office.last_seq, damaged=damaged)


def owned(code, hashes):
    """Those of `hashes` that an evidence row of the office `code` names: the rows by hash, then their reports by
    key. As one join, SQLite without statistics (a new hub before its next ANALYZE) walked the office's reports
    for every bundle: 1 ms at the season's first bundle, 90 ms by its last (bench/sync.py)."""
    reports = {}
    named = Evidence.select(Evidence.blob, Evidence.report).where(ingest.among(Evidence.blob, hashes))
    for blob, report in named.tuples():
        reports.setdefault(report, set()).add(blob)
    offices = Report.select(Report.id, Report.office_code).where(ingest.among(Report.id, reports)).tuples()
    return {blob for report, office in offices if office == code for blob in reports[report]}


@bp.get("/evidence/<sha256>")
def evidence_copy(sha256):
    """The hub's copy of one of the office's own evidence files, checked, for the office to repair a damaged
    one or to get back one it lost: 404 when the hub holds no good copy."""
    code = g.office_code
    if not is_sha256(sha256):
        return refusal(Refused(400, "not a SHA-256 hash", reason="malformed"))
    if not owned(code, {sha256}):
        return jsonify(error="no evidence row of this office has that hash"), 404
    try:
        data = evidence_store(current_app.config).read(sha256)
    except FileNotFoundError:
        return jsonify(error="the hub does not hold this file"), 404
    except Mismatch:
        integrity.found(current_app.config["OFFICE_CODE"], sha256, by="verify")
        return jsonify(error="the hub's copy is damaged too"), 404
    return Response(data, mimetype="application/octet-stream")


transfers.register(bp, json_body, refusal)  # the transfers between offices (kiosk.sync.transfers)
