"""The second factor: a TOTP code (RFC 6238, pyotp) from an authenticator app, or one of ten one-time
recovery codes. The secret and the codes are locked under a key derived from the account's own private key,
which only the password opens: the disk holds neither readable."""
import secrets
import threading
import time

import pyotp

from .. import keys

RECOVERY_CODES = 10
_last_used = {}  # account id -> the last time step accepted: a code works once
_lock = threading.Lock()


def _box_key(staff_key):
    return keys.subkey(staff_key, "totp")


def new_secret():
    """A fresh TOTP secret (base32)."""
    return pyotp.random_base32()


def uri(secret, username, office_name):
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=f"Pojok Laporan {office_name}")


def new_codes():
    """Ten fresh recovery codes, as shown once: 'abcd-efgh-ijkl'."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return ["-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))
            for _ in range(RECOVERY_CODES)]


def lock(staff_key, secret, codes):
    """The secret and the recovery codes (kept only as keyed hashes), locked under the account's key."""
    hashed = [keys.keyed_hash(_box_key(staff_key), code, "recovery") for code in codes]
    return keys.lock_json(_box_key(staff_key), {"secret": secret, "codes": hashed})


def _opened(staff_key, box):
    return keys.unlock_json(_box_key(staff_key), box)


def secret_of(staff_key, box):
    """The TOTP secret locked in `box`."""
    return _opened(staff_key, box)["secret"]


def codes_left(staff_key, box):
    """How many recovery codes remain."""
    return len(_opened(staff_key, box)["codes"])


def valid_now(secret, code, now=None):
    """Whether `code` is the secret's TOTP code now (or one step either side, for a drifting phone)."""
    return pyotp.TOTP(secret).verify((code or "").replace(" ", ""), for_time=now, valid_window=1)


def check(staff, staff_key, code, now=None):
    """(accepted, new box or None): a TOTP code of the account, used once; or a recovery code, which is
    spent (the new box holds the codes left)."""
    opened = _opened(staff_key, staff.totp_box)
    code = (code or "").strip().lower()
    totp = pyotp.TOTP(opened["secret"])
    step = int((now or time.time()) // totp.interval)
    if code.replace(" ", "").isdigit():
        for offset in (-1, 0, 1):
            if totp.verify(code.replace(" ", ""), for_time=(step + offset) * totp.interval):
                with _lock:
                    if _last_used.get(staff.id, -1) >= step + offset:
                        return False, None  # replayed
                    _last_used[staff.id] = step + offset
                return True, None
        return False, None
    hashed = keys.keyed_hash(_box_key(staff_key), code, "recovery")
    if hashed in opened["codes"]:
        opened["codes"].remove(hashed)
        return True, keys.lock_json(_box_key(staff_key), opened)
    return False, None
