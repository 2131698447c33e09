"""The offices' key pairs in the tests: fixed private keys (for tests only, never anywhere else), put into
the migrated template database (tests.support.database), so that every test's data folder, in process or
behind a `kiosk serve`, has the keys `kiosk init-keys` would have made, and the tests can grant them to
the accounts they make and seal the reports they store."""
from kiosk import keys

PRIVATE = {
    "36": bytes.fromhex("2eb6ee1ed82886c1676c99e1dfef29d57d9cce8cbb14fae70562e013bee791dc"),
    "36.73": bytes.fromhex("cedc6335088570827eef5f162ad57f53113eaedf5a9991852a0d0b6ae668632d"),
    "36.01": bytes.fromhex("bc5f7c9bf90fe2b4ad15d5b404025183ff42b53bfafdbb530f6064b08a0aaf4a"),
}
RECOVERY = "TEST-TEST-TEST-TEST-TEST-TEST-TEST-TEST-TEST-TEST-TEST-TEST-TEAA"  # the template's recovery key


def public(office):
    """The office's public key."""
    return keys.public_of(PRIVATE[office])


HUB_KEY = public("36")  # what an office's KIOSK_HUB_KEY says in the tests


def keyring_rows():
    """The rows of the template's keyring."""
    secret = keys.recovery_secret(RECOVERY)
    return [{"office_code": code, "public_key": public(code), "recovery_box": keys.lock(secret, private)}
            for code, private in PRIVATE.items()]
