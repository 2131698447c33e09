"""Signed requests from an office to the hub.

Each request carries the office code, a Unix timestamp, a fresh request id (the batch id) and an Ed25519
signature over all of them plus the API path and the SHA-256 of the exact body bytes. The signing key is
derived from the office's token (KIOSK_HUB_TOKEN): the office holds the token, the hub holds only the
public key, so nothing the hub stores can sign a batch. A request is refused when its signature is wrong,
its timestamp is more than five minutes old or ahead, or its request id has been seen before, so a captured
batch cannot be sent again.

Offices registered before public keys (schema 6) are known to the hub by the SHA-256 of their token, the
key of the old HMAC signature. Such an office enrols once: it signs `POST /api/sync/enrol` the old way with
its public key in the body, and from then on the hub holds only that public key."""
import hashlib
import hmac
import json
import re
import secrets
import time

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.signing

OFFICE = "X-Kiosk-Office"
TIMESTAMP = "X-Kiosk-Timestamp"
NONCE = "X-Kiosk-Nonce"
SIGNATURE = "X-Kiosk-Signature"
MAX_SKEW = 300  # seconds a request may be old (or ahead, for clocks that drift)
VERSION = "pojok-laporan-sync-2"
LEGACY_VERSION = "pojok-laporan-sync-1"  # HMAC-SHA256 under the token's SHA-256: only to enrol
NONCE_SHAPE = re.compile(r"[0-9a-f]{32}")
OFFICE_SHAPE = re.compile(r"\d{2}(\.\d{2})?")
SIGNATURE_SHAPE = re.compile(r"[0-9a-f]{64}|[0-9a-f]{128}")  # HMAC-SHA256 (legacy) or Ed25519
PUBLIC_KEY_SHAPE = re.compile(r"[0-9a-f]{64}")


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


def signing_key(token):
    """The office's Ed25519 signing key, derived from its token."""
    seed = nacl.hash.blake2b(token.encode(), person=b"pojok-sync-key\0\0", digest_size=32,
                             encoder=nacl.encoding.RawEncoder)
    return nacl.signing.SigningKey(seed)


def public_key(token):
    """The public key (64 hex digits) that verifies what the office with `token` signs: what the hub keeps."""
    return signing_key(token).verify_key.encode(nacl.encoding.HexEncoder).decode()


def token_hash(token):
    """What the hub stored for a token before public keys, the key of the legacy HMAC signature."""
    return hashlib.sha256(token.encode()).hexdigest()


def canonical_json(value):
    """The one byte string a JSON value is sent as: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def string_to_sign(method, endpoint, office, timestamp, nonce, body, version=VERSION):
    """The bytes the signature covers: protocol version, method, endpoint below /api/sync/, office,
    timestamp, request id and the body's SHA-256, so no part can be swapped or reused elsewhere."""
    parts = [version, method.upper(), endpoint, office, str(timestamp), nonce, hashlib.sha256(body).hexdigest()]
    return "\n".join(parts).encode()


def sign(token, method, endpoint, office, body, now=None, nonce=None):
    """The headers that authenticate `body` sent by `office` to `endpoint` (e.g. 'batch')."""
    timestamp = int(now if now is not None else time.time())
    nonce = nonce or secrets.token_hex(16)
    message = string_to_sign(method, endpoint, office, timestamp, nonce, body)
    return {OFFICE: office, TIMESTAMP: str(timestamp), NONCE: nonce,
            SIGNATURE: signing_key(token).sign(message).signature.hex()}


def sign_legacy(token, method, endpoint, office, body, now=None, nonce=None):
    """The old HMAC headers, for the one request that enrols an office registered before public keys."""
    timestamp = int(now if now is not None else time.time())
    nonce = nonce or secrets.token_hex(16)
    message = string_to_sign(method, endpoint, office, timestamp, nonce, body, LEGACY_VERSION)
    mac = hmac.new(bytes.fromhex(token_hash(token)), message, hashlib.sha256).hexdigest()
    return {OFFICE: office, TIMESTAMP: str(timestamp), NONCE: nonce, SIGNATURE: mac}


def claimed(headers, now=None):
    """(office, timestamp, nonce, signature) from the request headers, checked for shape and freshness
    before anything else is read (the body included); Refused(400/401) otherwise."""
    office, stamp = headers.get(OFFICE, ""), headers.get(TIMESTAMP, "")
    nonce, mac = headers.get(NONCE, ""), headers.get(SIGNATURE, "").lower()
    if not (office and stamp and nonce and mac):
        raise Refused(401, "unsigned request", reason="malformed")
    if not OFFICE_SHAPE.fullmatch(office) or not NONCE_SHAPE.fullmatch(nonce) or len(stamp) > 12 \
            or not (stamp.isascii() and stamp.isdigit()) or not SIGNATURE_SHAPE.fullmatch(mac):
        raise Refused(400, "malformed signature headers", reason="malformed")  # '²' (a latin-1 header byte) isdigit() but is no int
    now = now if now is not None else time.time()
    if abs(now - int(stamp)) > MAX_SKEW:
        hub_time = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(now))
        raise Refused(401, f"timestamp outside the allowed window (a replayed request, or the office clock is "
                      f"wrong: the hub's is {hub_time})", reason="clock", skew=int(int(stamp) - now))
    return office, int(stamp), nonce, mac


def verify(public_key_hex, method, endpoint, headers, body, now=None):
    """Check a request's Ed25519 signature and freshness against the office's public key. Returns
    (office, nonce); raises Refused(401) for a wrong signature or a stale or future timestamp. Whether the
    nonce was seen before is for the caller's store to say."""
    office, timestamp, nonce, mac = claimed(headers, now)
    message = string_to_sign(method, endpoint, office, timestamp, nonce, body)
    try:
        nacl.signing.VerifyKey(bytes.fromhex(public_key_hex)).verify(message, bytes.fromhex(mac))
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        raise Refused(401, "bad signature", reason="signature")
    return office, nonce


def verify_legacy(key_hex, method, endpoint, headers, body, now=None):
    """Check the old HMAC signature (only `enrol` takes it) against the token hash the hub held."""
    office, timestamp, nonce, mac = claimed(headers, now)
    message = string_to_sign(method, endpoint, office, timestamp, nonce, body, LEGACY_VERSION)
    expected = hmac.new(bytes.fromhex(key_hex), message, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, mac):
        raise Refused(401, "bad signature", reason="signature")
    return office, nonce
