"""A reverse proxy on the office machine (or in front of the hub): the visitor's address, scheme and host
are taken from its X-Forwarded-* headers only when the connection comes from one of KIOSK_TRUSTED_PROXIES;
from anyone else those headers are ignored. Werkzeug's ProxyFix trusts a count of proxies whatever the
connection's address; this trusts the listed addresses only."""
import ipaddress


def networks(text):
    """The addresses and networks of a comma-separated list (ValueError on one that is neither)."""
    return [ipaddress.ip_network(item.strip(), strict=False) for item in text.split(",") if item.strip()]


def is_among(address, nets):
    """Whether `address` (text) is in one of `nets`."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False
    return any(ip in net for net in nets)


class TrustedProxies:
    """WSGI middleware: from a trusted proxy, REMOTE_ADDR becomes the nearest address in X-Forwarded-For that
    is not itself a trusted proxy, and the scheme and host those proxies forwarded are used."""

    def __init__(self, app, trusted):
        self.app, self.trusted = app, trusted

    def __call__(self, environ, start_response):
        if is_among(environ.get("REMOTE_ADDR"), self.trusted):
            hops = [hop.strip() for hop in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
            while hops and is_among(hops[-1], self.trusted):
                hops.pop()
            client = hops[-1] if hops else ""
            try:
                environ["REMOTE_ADDR"] = str(ipaddress.ip_address(client))
            except ValueError:
                environ["REMOTE_ADDR"] = "0.0.0.0"  # noqa: S104 - not a visitor's address: counted as nobody's
            scheme = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
            if scheme in ("http", "https"):
                environ["wsgi.url_scheme"] = scheme
            host = environ.get("HTTP_X_FORWARDED_HOST", "").split(",")[-1].strip()
            if host:
                environ["HTTP_HOST"] = host
        return self.app(environ, start_response)


def init_app(app):
    """Wrap the app in TrustedProxies when KIOSK_TRUSTED_PROXIES lists any."""
    trusted = networks(app.config["TRUSTED_PROXIES"])
    if trusted:
        app.wsgi_app = TrustedProxies(app.wsgi_app, trusted)
