"""The reporter's address for messages, sealed under the sender key: a key of this machine, never in the
database, a backup or the hub. Where systemd passes credentials (LoadCredentialEncrypted=, bound to the
PC's TPM, so a disk taken away cannot open it) it is $CREDENTIALS_DIRECTORY/pojok-notify-key; elsewhere it
is DATA_DIR/notify.key (0600), made on first use, and /healthz's staff view says so. Lost with the machine:
messages then fail as 'unreadable' and staff see it; the reporter can still follow the status page."""
import hashlib
import os
import secrets
from pathlib import Path

from flask import current_app

from .. import keys

CREDENTIAL = "pojok-notify-key"


def key_path():
    """Where the sender key is read from."""
    credentials = os.environ.get("CREDENTIALS_DIRECTORY")
    if credentials and (Path(credentials) / CREDENTIAL).exists():
        return Path(credentials) / CREDENTIAL
    return Path(current_app.config["DATA_DIR"]) / "notify.key"


def sender_key():
    """The 32-byte sender key (made, owner-only, on first use in the data folder)."""
    path = key_path()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return keys.unb64(path.read_text().strip())
    key = secrets.token_bytes(keys.KEY_BYTES)
    with os.fdopen(fd, "w") as handle:
        handle.write(keys.b64(key))
    return key


def seal(address):
    """`address` locked under the sender key."""
    return keys.lock(sender_key(), address.encode("utf-8"))


def open_address(sealed):
    """The address back; keys.Locked when this machine's key does not open it."""
    return keys.unlock(sender_key(), sealed).decode("utf-8")


def masked_email(address):
    """'b***@g***.com': enough for the reporter to know which address, not enough to learn it."""
    name, _, domain = address.partition("@")
    host, dot, tld = domain.rpartition(".")
    return f"{name[:1]}***@{host[:1]}***{dot}{tld}"


def unsubscribe_token(report_id):
    """The unsubscribe link's token for a report's messages: made from the sender key, so only this machine
    can make it, and the database holds only its hash."""
    return keys.keyed_hash(sender_key(), str(report_id), "unsubscribe")[:32]


def token_hash(token):
    """The stored form of an unsubscribe token."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()
