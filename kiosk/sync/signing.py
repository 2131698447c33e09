"""Signed requests from an office to the hub.

Each request carries the office code, a Unix timestamp, a fresh request id (the batch id) and an
HMAC-SHA256 over all of them plus the API path and the SHA-256 of the exact body bytes. The HMAC key
is the SHA-256 of the office's token: the hub keeps only that hash, never the token itself. A request
is refused when its signature is wrong, its timestamp is more than five minutes old or ahead, or its
request id has been seen before, so a captured batch cannot be sent again."""
import hashlib
import hmac
import json
import re
import secrets
import time

OFFICE = "X-Kiosk-Office"
TIMESTAMP = "X-Kiosk-Timestamp"
NONCE = "X-Kiosk-Nonce"
SIGNATURE = "X-Kiosk-Signature"
MAX_SKEW = 300  # seconds a request may be old (or ahead, for clocks that drift)
VERSION = "pojok-laporan-sync-1"
NONCE_SHAPE = re.compile(r"[0-9a-f]{32}")
OFFICE_SHAPE = re.compile(r"\d{2}(\.\d{2})?")


class Refused(Exception):
    """A request the hub will not apply: `status` is the HTTP status, the message says why."""

    def __init__(self, status, message, **extra):
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


def new_token():
    """A fresh office token: 43 URL-safe characters (256 random bits)."""
    return secrets.token_urlsafe(32)


def token_hash(token):
    """What the hub stores for a token, and the HMAC key both sides sign with."""
    return hashlib.sha256(token.encode()).hexdigest()


def canonical_json(value):
    """The one byte string a JSON value is sent as: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def string_to_sign(method, endpoint, office, timestamp, nonce, body):
    """The bytes the signature covers: protocol version, method, endpoint below /api/sync/, office,
    timestamp, request id and the body's SHA-256, so no part can be swapped or reused elsewhere."""
    parts = [VERSION, method.upper(), endpoint, office, str(timestamp), nonce, hashlib.sha256(body).hexdigest()]
    return "\n".join(parts).encode()


def signature(key_hex, message):
    """HMAC-SHA256 of `message` under the token hash `key_hex`, as hex."""
    return hmac.new(bytes.fromhex(key_hex), message, hashlib.sha256).hexdigest()


def sign(token, method, endpoint, office, body, now=None, nonce=None):
    """The headers that authenticate `body` sent by `office` to `endpoint` (e.g. 'batch')."""
    timestamp = int(now if now is not None else time.time())
    nonce = nonce or secrets.token_hex(16)
    message = string_to_sign(method, endpoint, office, timestamp, nonce, body)
    return {OFFICE: office, TIMESTAMP: str(timestamp), NONCE: nonce,
            SIGNATURE: signature(token_hash(token), message)}


def claimed(headers):
    """(office, timestamp, nonce, signature) from the request headers, or Refused(400/401)."""
    office, stamp = headers.get(OFFICE, ""), headers.get(TIMESTAMP, "")
    nonce, mac = headers.get(NONCE, ""), headers.get(SIGNATURE, "")
    if not (office and stamp and nonce and mac):
        raise Refused(401, "unsigned request")
    if not OFFICE_SHAPE.fullmatch(office) or not NONCE_SHAPE.fullmatch(nonce) \
            or not (stamp.isascii() and stamp.isdigit()):  # '²' (a latin-1 header byte) isdigit() but is no int
        raise Refused(400, "malformed signature headers")
    return office, int(stamp), nonce, mac


def verify(key_hex, method, endpoint, headers, body, now=None):
    """Check a request's signature and freshness against the office's token hash. Returns
    (office, nonce); raises Refused(401) for a wrong signature or a stale or future timestamp.
    Whether the nonce was seen before is for the caller's store to say."""
    office, timestamp, nonce, mac = claimed(headers)
    expected = signature(key_hex, string_to_sign(method, endpoint, office, timestamp, nonce, body))
    if not hmac.compare_digest(expected, mac.lower()):
        raise Refused(401, "bad signature")
    now = now if now is not None else time.time()
    if abs(now - timestamp) > MAX_SKEW:
        hub_time = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(now))
        raise Refused(401, f"timestamp outside the allowed window (a replayed request, or the office clock is "
                      f"wrong: the hub's is {hub_time})")
    return office, nonce
