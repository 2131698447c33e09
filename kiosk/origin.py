"""Where a request comes from: another site's page or this one."""
from urllib.parse import urlsplit

from flask import request


def cross_site():
    """Whether this request comes from another site's page (a link, a redirect, an image): what the browser
    says in Sec-Fetch-Site, or, from a browser too old to say, a Referer of another host. Such a request
    may show a page but must change nothing (a GET that ends a visit or switches a draft)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "cross-site"
    referrer = urlsplit(request.headers.get("Referer", ""))
    return bool(referrer.netloc) and referrer.netloc != request.host
