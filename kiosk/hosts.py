"""Which Host headers the app answers (KIOSK_ALLOWED_HOSTS; by default the public address's host and this
machine's loopback names), and whether the public address can be printed: a receipt never carries a
loopback address, nor one a visitor's Host header made up."""
import ipaddress
from urllib.parse import urlsplit

LOOPBACK_NAMES = ("localhost", "127.0.0.1")
WILDCARDS = ("", "0.0.0.0", "::")  # noqa: S104 - the listening addresses that name no host


def is_loopback(host):
    """Whether `host` (a name or an address, without a port) is this machine."""
    host = (host or "").strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed(config):
    """The Host names the app answers (Flask's TRUSTED_HOSTS), or None for any ('*')."""
    listed = [name.strip().lower() for name in config["ALLOWED_HOSTS"].split(",") if name.strip()]
    if listed == ["*"]:
        return None
    if listed:
        return listed
    names = list(LOOPBACK_NAMES)
    public = urlsplit(config.get("PUBLIC_URL") or "").hostname
    if public:
        names.append(public)
    if config.get("HOST") not in WILDCARDS:
        names.append(str(config["HOST"]).lower())
    return sorted(set(names))


def public_url_problem(config):
    """Why receipts carry no status address ('unset', 'loopback'), or None when KIOSK_PUBLIC_URL is fine."""
    url = config.get("PUBLIC_URL") or ""
    if not url:
        return "unset"
    return "loopback" if is_loopback(urlsplit(url).hostname) else None
