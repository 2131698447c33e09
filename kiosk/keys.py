"""The cryptography of the corner, all of it libsodium through PyNaCl: keys derived from passwords
(Argon2id), secrets locked under a key (XSalsa20-Poly1305 secret boxes), data sealed to a public key
(X25519 sealed boxes, which need nothing secret to write), and the printed recovery key.

Every function takes and returns bytes or ASCII text (base64), so that what it makes can be stored in a
text column and sent as JSON."""
import base64
import binascii
import json
import re

import nacl.exceptions
import nacl.hash
import nacl.public
import nacl.pwhash
import nacl.secret
import nacl.utils

KEY_BYTES = nacl.secret.SecretBox.KEY_SIZE  # 32
SALT_BYTES = nacl.pwhash.argon2id.SALTBYTES  # 16
OPS = nacl.pwhash.argon2id.OPSLIMIT_MODERATE  # 3 passes


class Locked(Exception):
    """A secret that does not open: the wrong password or key, or bytes that were changed."""


def b64(data):
    """`data` (bytes) as base64 text."""
    return base64.b64encode(data).decode("ascii")


def unb64(text):
    """The bytes of base64 `text`; Locked when it is not base64."""
    try:
        return base64.b64decode(text or "", validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise Locked("not base64")


def new_secret():
    """32 random bytes: a key for a secret box."""
    return nacl.utils.random(KEY_BYTES)


# ---- Keys from passwords --------------------------------------------------------------------------------

def kdf_params(memory_mb):
    """A fresh description of how a password becomes a key: {"salt", "ops", "mem"} (Argon2id)."""
    return {"salt": b64(nacl.utils.random(SALT_BYTES)), "ops": OPS, "mem": int(memory_mb) * 1024 * 1024}


def derive(password, params):
    """The 32-byte key derived from `password` with the stored `params` (see kdf_params)."""
    return nacl.pwhash.argon2id.kdf(KEY_BYTES, password.encode("utf-8"), unb64(params["salt"]),
                                    opslimit=int(params["ops"]), memlimit=int(params["mem"]))


# ---- Secret boxes: data locked under a key --------------------------------------------------------------

def lock(key, data):
    """`data` (bytes) locked under `key` (32 bytes), as base64 text (nonce and MAC included)."""
    return b64(nacl.secret.SecretBox(key).encrypt(data))


def unlock(key, text):
    """The bytes locked in `text` under `key`; Locked when the key is wrong or the text was changed."""
    try:
        return nacl.secret.SecretBox(key).decrypt(unb64(text))
    except (nacl.exceptions.CryptoError, ValueError, TypeError):
        raise Locked("the box does not open")


def lock_json(key, value):
    """A JSON value locked under `key`."""
    return lock(key, json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def unlock_json(key, text):
    """The JSON value locked in `text` under `key`."""
    return json.loads(unlock(key, text))


def lock_bytes(key, data):
    """`data` locked under `key`, as raw bytes (for files: no base64)."""
    return bytes(nacl.secret.SecretBox(key).encrypt(data))


def unlock_bytes(key, data):
    """The bytes locked in raw `data` under `key`; Locked when wrong or changed."""
    try:
        return nacl.secret.SecretBox(key).decrypt(data)
    except (nacl.exceptions.CryptoError, ValueError, TypeError):
        raise Locked("the file does not open")


# ---- Key pairs and sealed boxes: data anyone can seal, only the key's holder can open ----------------------

def new_key_pair():
    """(private key bytes, public key as base64 text): an X25519 pair."""
    private = nacl.public.PrivateKey.generate()
    return bytes(private), b64(bytes(private.public_key))


def public_of(private):
    """The public key (base64 text) of the private key `private` (bytes)."""
    return b64(bytes(nacl.public.PrivateKey(private).public_key))


def is_public_key(text):
    """Whether `text` is a public key as stored: base64 of 32 bytes."""
    try:
        return len(unb64(text)) == nacl.public.PublicKey.SIZE
    except Locked:
        return False


def seal(public_key, data):
    """`data` (bytes) sealed to `public_key` (base64 text): only its private key opens it."""
    return b64(nacl.public.SealedBox(nacl.public.PublicKey(unb64(public_key))).encrypt(data))


def open_sealed(private, text):
    """The bytes sealed in `text` to the public key of `private` (bytes); Locked when not ours or changed."""
    try:
        return nacl.public.SealedBox(nacl.public.PrivateKey(private)).decrypt(unb64(text))
    except (nacl.exceptions.CryptoError, ValueError, TypeError):
        raise Locked("not sealed to this key")


# ---- Keyed hashes -----------------------------------------------------------------------------------------

def keyed_hash(key, text, purpose):
    """A 32-hex-digit keyed BLAKE2b of `text` for `purpose`: equal texts give equal hashes under one key,
    and nobody without the key can compute or reverse them (blind indexes)."""
    digest = nacl.hash.blake2b(text.encode("utf-8"), key=key, person=purpose.encode()[:16].ljust(16, b"\0"),
                               digest_size=16, encoder=nacl.encoding.HexEncoder)
    return digest.decode("ascii")


def subkey(key, purpose):
    """A 32-byte key for `purpose` derived from `key` (so one secret serves several uses apart)."""
    return nacl.hash.blake2b(b"", key=key, person=purpose.encode()[:16].ljust(16, b"\0"), digest_size=32,
                             encoder=nacl.encoding.RawEncoder)


# ---- The recovery key: 32 random bytes, printed for the office safe ---------------------------------------

def new_recovery_key():
    """A fresh recovery key as it is printed: 52 base32 letters and digits in groups of four."""
    text = base64.b32encode(new_secret()).decode("ascii").rstrip("=")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def recovery_secret(printed):
    """The 32-byte key a printed recovery key stands for (spaces, dashes and case do not matter); Locked
    when it is not one."""
    text = re.sub(r"[\s-]", "", printed or "").upper()
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        raise Locked("not a recovery key")
    if len(raw) != KEY_BYTES:
        raise Locked("not a recovery key")
    return subkey(raw, "recovery")
