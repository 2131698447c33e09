"""Static files for slow phones: each URL carries a fingerprint of the file's content, so browsers
keep it for a year and fetch it again only when it changes; responses are compressed."""
import gzip
import hashlib
from functools import lru_cache
from pathlib import Path

import brotli
from flask import request, url_for

from .extensions import compress

YEAR = 365 * 24 * 3600
TEXT_ASSETS = {"text/css", "text/javascript", "application/javascript"}
# Blueprints whose pages are sent uncompressed (see `never_compress`).
UNCOMPRESSED = set()


def never_compress(blueprint):
    """Send `blueprint`'s pages uncompressed: pages that echo what a person typed beside a CSRF token
    are the ingredients of a BREACH attack (the staff workspace's searches, on an office network where
    size hardly matters)."""
    UNCOMPRESSED.add(blueprint.name)


def compress_response(response):
    """An after_request hook: Flask-Compress's compression, except for the blueprints in UNCOMPRESSED."""
    if request.blueprint in UNCOMPRESSED:
        return response
    return compress.after_request(response)


@lru_cache(maxsize=None)
def _fingerprint(path, mtime):
    """The first 10 hex digits of the file's SHA-256 (cached per modification time)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def fingerprint_static(app):
    """A url_defaults hook: `url_for('static', filename=f)` gains `v=<fingerprint>`."""
    folder = Path(app.static_folder)

    def add_version(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            path = folder / values["filename"]
            if path.is_file():
                values["v"] = _fingerprint(str(path), path.stat().st_mtime_ns)

    return add_version


@lru_cache(maxsize=32)
def _compressed(data, algorithm):
    """A static file's bytes compressed as tightly as `algorithm` goes, once per content: brotli at its
    highest quality takes a tenth of the bytes off what pages get at the level fit for every response."""
    return brotli.compress(data, quality=11) if algorithm == "br" else gzip.compress(data, 9, mtime=0)


def _accepted(header):
    """'br' or 'gzip', whichever the Accept-Encoding `header` takes (in that order), or None."""
    weights = {}
    for part in header.split(","):
        name, _, parameter = part.partition(";")
        parameter = parameter.strip()
        try:
            weights[name.strip().lower()] = float(parameter[2:]) if parameter.startswith("q=") else 1.0
        except ValueError:
            weights[name.strip().lower()] = 0.0
    return next((algorithm for algorithm in ("br", "gzip") if weights.get(algorithm, 0) > 0), None)


def compress_static(response):
    """A fingerprinted stylesheet or script, compressed once at the highest level (Flask-Compress leaves a
    response that already has a Content-Encoding alone)."""
    algorithm = _accepted(request.headers.get("Accept-Encoding", ""))
    response.vary.add("Accept-Encoding")
    if algorithm and response.mimetype in TEXT_ASSETS and request.args.get("v"):
        response.set_data(_compressed(response.get_data(), algorithm))
        response.headers["Content-Encoding"] = algorithm
        etag, weak = response.get_etag()
        if etag:
            response.set_etag(f"{etag}:{algorithm}", weak=weak)
    return response


def preload_style(response):
    """On a first visit (a request without cookies, so with nothing cached), say in the headers which
    stylesheet the page needs: the browser fetches it while the page's own bytes still arrive, where it
    would ask only once it had read the <head> (half a second on a GPRS line's 500 ms round trips)."""
    if (request.method == "GET" and response.status_code == 200 and response.mimetype == "text/html"
            and "Cookie" not in request.headers):
        response.headers["Link"] = f"<{url_for('static', filename='site.css')}>; rel=preload; as=style"
    return response


def init_app(app):
    """Fingerprinted static URLs cached for a year; HTML, CSS and JS compressed (brotli or gzip)."""
    app.url_defaults(fingerprint_static(app))
    original = app.get_send_file_max_age

    def max_age(filename):
        # A fingerprinted URL never changes content; an unversioned one is checked each time.
        return YEAR if request.args.get("v") else original(filename)

    app.get_send_file_max_age = max_age
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_MIMETYPES", ["text/html", "text/css", "text/javascript", "application/javascript",
                                                 "application/json", "image/svg+xml"])
    app.config["COMPRESS_REGISTER"] = False  # compress_response calls it, for the blueprints that want it
    compress.init_app(app)
    app.after_request(compress_response)

    app.after_request(preload_style)

    # Registered after Compress, so it runs before it (Flask runs after_request hooks in reverse).
    @app.after_request
    def static_for_a_year(response):
        if request.endpoint == "static" and response.status_code == 200:
            response.direct_passthrough = False
            response.set_data(response.get_data())  # small files: compressed whole, gzip included
            if request.args.get("v"):
                response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
                compress_static(response)
        return response
