"""Configuration from `KIOSK_*` environment variables, with defaults that run a demo office."""
import os
import secrets
from pathlib import Path

from . import hosts, inputs, postgres

MB = 1024 * 1024
LOOPBACK = "127.0.0.1,::1"
CSRF_HOURS = 24


def _flag(value):
    """Read an environment flag: 1/true/yes/on are true."""
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


# name: (default, parser). Each is read from KIOSK_<NAME> and stored as app.config[<NAME>].
SETTINGS = {
    "DATA_DIR": ("instance", str),
    "DATABASE_URL": ("", str),
    "ROLE": ("office", str),
    "OFFICE_CODE": ("36.73", str),
    "HUB_URL": ("", str),
    "HUB_TOKEN": ("", str),
    "HUB_KEY": ("", str),
    "SECRET_KEY": ("", str),
    "HOST": ("127.0.0.1", str),
    "PORT": (8000, int),
    "PUBLIC_URL": ("", str),
    "THREADS": (8, int),
    "DEADLINE_DAYS": (7, int),
    "DEADLINE_WORKING_DAYS": (True, _flag),
    "KAJIAN_AWAL_DAYS": (2, int),
    "COMPLETION_DAYS": (3, int),
    "UPLOAD_MAX_MB": (10, int),
    "UPLOAD_MAX_FILES": (5, int),
    "DRAFT_HOURS": (48, int),
    "PHONE_LINK_MINUTES": (30, int),
    "DEVICES": ("", str),
    "TRUSTED_PROXIES": ("", str),
    "ALLOWED_HOSTS": ("", str),
    "IDLE_WARN_SECONDS": (60, int),
    "IDLE_RESET_SECONDS": (90, int),
    "RECEIPT_IDLE_SECONDS": (180, int),
    "BACKUP_KEEP": (14, int),
    # Rows and JSON bytes per batch: each batch has a fixed cost at the hub (docs/architecture.md, the sync's figures).
    "SYNC_BATCH": (15_000, int),
    "SYNC_BATCH_BYTES": (12_000_000, int),
    "SYNC_UPLOADS": (4, int),
    "SYNC_TIMEOUT": (30, float),
    "SYNC_CONNECT_TIMEOUT": (10, float),
    "SYNC_RETRIES": (2, int),
    "SYNC_BACKOFF": (2, float),
    "HTTPS": (False, _flag),
    "RATE_LIMITS": (True, _flag),
    "RATE_SUBMIT": ("10 per minute;60 per hour", str),
    "RATE_SUBMIT_KIOSK": ("30 per minute;600 per hour", str),
    "RATE_STATUS": ("20 per minute;200 per hour", str),
    "RATE_STATUS_KIOSK": ("120 per minute", str),
    "RATE_LOGIN": ("10 per minute;50 per hour", str),
    "RATE_UPLOAD": ("12 per minute;60 per hour", str),
    "RATE_UPLOAD_KIOSK": ("30 per minute;300 per hour", str),
    "RATE_LOGIN_KIOSK": ("10 per minute;50 per hour", str),
    "MIN_FORM_SECONDS": (10, int),
    "KDF_MEMORY_MB": (128, int),
    "RETENTION_DAYS": ("1825", str),
    "SMTP_HOST": ("", str),
    "SMTP_PORT": (25, int),
    "SMTP_USER": ("", str),
    "SMTP_PASSWORD": ("", str),
    "SMTP_STARTTLS": (False, _flag),
    "MAIL_FROM": ("pojok-laporan@localhost", str),
    "SMSD_INBOX": ("", str),
    "SMSD_OUTBOX": ("", str),
    "SMS_NUMBER": ("", str),
    "SMS_POLL_SECONDS": (5, int),
    "SMS_REPORTS_PER_DAY": (5, int),
    "SMS_MESSAGES_PER_DAY": (20, int),
    "SMS_KEEP_DAYS": (90, int),
}


def from_environ(environ=None):
    """Build the configuration dict from `KIOSK_*` variables, falling back to the defaults."""
    environ = os.environ if environ is None else environ
    config = {}
    for name, (default, parse) in SETTINGS.items():
        raw = environ.get(f"KIOSK_{name}")
        config[name] = default if raw in (None, "") else parse(raw)
    return config


def finish(config):
    """Derive the Flask settings that follow from ours: paths, limits and the secret key. Whatever the
    umask it was started with, the process makes every file owner-only from here on (0600 files in 0700
    folders): the data folder holds the database, the evidence and the backups."""
    os.umask(0o077)
    data_dir = Path(config["DATA_DIR"]).resolve()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    data_dir.chmod(0o700)
    config["DATA_DIR"] = str(data_dir)
    config.setdefault("DATABASE", str(data_dir / "kiosk.sqlite3"))
    # The database as a URL (kiosk/postgres.py): by default the SQLite file above; a sqlite:/// URL moves it.
    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = "sqlite:///" + config["DATABASE"]
    postgres.check(config)
    if not postgres.is_postgres(config["DATABASE_URL"]):
        config["DATABASE"] = postgres.sqlite_path(config["DATABASE_URL"])
    config.setdefault("EVIDENCE_DIR", str(data_dir / "evidence"))
    Path(config["EVIDENCE_DIR"]).mkdir(mode=0o700, exist_ok=True)
    for path in (Path(config["DATABASE"] + suffix) for suffix in ("", "-wal", "-shm")):
        if path.exists():
            path.chmod(0o600)  # made before this rule, under a looser umask
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _stored_secret(data_dir / "secret_key")
    # The whole request may carry every allowed file plus the form itself.
    config["MAX_CONTENT_LENGTH"] = config["UPLOAD_MAX_FILES"] * config["UPLOAD_MAX_MB"] * MB + MB
    # A form without files is far smaller (kiosk.inputs bounds its body by route); so is each text part
    # of one with files, and the number of its parts.
    config.setdefault("MAX_FORM_MEMORY_SIZE", inputs.FORM_FIELD_MAX)
    config.setdefault("MAX_FORM_PARTS", 200)
    # A token lives a day: longer than any report typed on a slow phone (the 400 page keeps the draft).
    config.setdefault("WTF_CSRF_TIME_LIMIT", CSRF_HOURS * 3600)
    config.setdefault("WTF_CSRF_SSL_STRICT", False)
    config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    # Behind HTTPS (KIOSK_HTTPS, or a public address on https): cookies only over TLS, and HSTS.
    config["HTTPS"] = config.get("HTTPS") or config.get("PUBLIC_URL", "").startswith("https://")
    config.setdefault("SESSION_COOKIE_SECURE", config["HTTPS"])
    config.setdefault("RATELIMIT_ENABLED", config.get("RATE_LIMITS", True))
    config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    config["SESSION_PERMANENT"] = False  # a cookie for this browser session only: no 31-day Expires
    # A Set-Cookie on every response costs ~250 bytes each time on GPRS; the cookie is re-sent
    # whenever the session changes, which is enough to keep a draft's session alive.
    config.setdefault("SESSION_REFRESH_EACH_REQUEST", False)
    # Behind a proxy every visitor would come from its address: kiosk machines must then be listed.
    if not config.get("DEVICES") and not config.get("TRUSTED_PROXIES"):
        config["DEVICES"] = LOOPBACK
    config.setdefault("TRUSTED_HOSTS", hosts.allowed(config))  # any other Host header: 400
    config.setdefault("BABEL_DEFAULT_LOCALE", "id")
    config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Jakarta")
    return config


def _stored_secret(path):
    """Return the secret key kept in the data folder, creating it (owner-only) on first start."""
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made earlier, or just now by another process
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
