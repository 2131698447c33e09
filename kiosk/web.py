"""What every response shares: the page-or-fragment decision, caching and security headers, and
friendly error pages that never show a traceback."""
import logging
import sqlite3

import peewee
from flask import current_app, make_response, render_template, request
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from kiosk.extensions import htmx
from kiosk.i18n import lazy_gettext as _l

from . import choices, display, inputs, regions, store, tracking, visit

log = logging.getLogger(__name__)

CSP = "; ".join([
    "default-src 'self'",  # scripts and styles only from this site: no inline code at all
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

ERROR_TEXT = {
    400: (_l("The request could not be read"),
          _l("The form may have been open too long or sent twice. Go back and try again; what you typed is kept.")),
    403: (_l("Not allowed"), _l("You do not have permission to open this page.")),
    404: (_l("Page not found"), _l("Check the address, or start again from the home page.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way. Start again from the home page.")),
    413: (_l("The file is too large"),
          _l("What you sent is larger than the office accepts. Your report is kept: go back and choose smaller files.")),
    429: (_l("Too many attempts"), _l("Please wait a minute and try again.")),
    500: (_l("Something went wrong"),
          _l("The problem is on our side and has been noted. What you typed is kept: please try again in a moment.")),
    507: (_l("The office's storage is full"),
          _l("What you just sent could not be saved. Everything saved before is kept. Please tell the office "
             "staff, and try again once they have made room.")),
}
# Functions a feature registers (`error_context`) to add to an error page what only it knows: a way back
# to what the person was doing (back=), a message of its own (message=).
_error_contexts = []


class StorageFull(HTTPException):
    """507: the disk, or the database, had no room for what was being saved."""

    code = 507
    description = "Insufficient Storage"


def full_disk(error):
    """The full disk behind `error` (itself, or an error it arose from), or None: SQLite's SQLITE_FULL
    ('database or disk is full') or an OS error such as ENOSPC. SQLite rolls the transaction back by
    itself on SQLITE_FULL, so peewee's own rollback then fails, and the full disk is its context."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if store.is_full(error):
            return error
        if isinstance(error, (peewee.OperationalError, sqlite3.OperationalError)) and "is full" in str(error):
            return error
        error = error.__cause__ or error.__context__
    return None


def render(page, fragment=None, status=200, **context):
    """Render the full `page`, or only `fragment` for an htmx request that swaps part of the page.
    The response varies on HX-Request, so no cache mixes the two."""
    partial = fragment and htmx and not htmx.boosted
    body = render_template(fragment if partial else page, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    if partial and request.method == "GET":
        response.headers["HX-Push-Url"] = request.full_path.rstrip("?")
    return response


def error_context(function):
    """Register `function(code)`: for an error page of HTTP status `code`, a dict that may give `back`
    (the address of a way back) and `message` (in place of the usual one), or None."""
    _error_contexts.append(function)
    return function


def error_page(error):
    """A translated page for any HTTP error, in the site's layout; a Host header not among
    KIOSK_ALLOWED_HOSTS gets a bare 400 (no address of the site can be made for it)."""
    if isinstance(error, SecurityError):
        return make_response(("Bad Request: unknown host\n", 400, {"Content-Type": "text/plain; charset=utf-8"}))
    code = error.code if isinstance(error, HTTPException) and error.code else 500
    title, message = ERROR_TEXT.get(code) or ERROR_TEXT[400 if code < 500 else 500]
    context = {"message": message, "back": None}
    for function in _error_contexts:
        context.update(function(code) or {})
    return render("error.html", "_error.html", status=code, code=code, title=title, **context)


def server_error(error):
    """Log the fault (without request data) and show the friendly 500 page, or the 507 page when the
    disk is full (nothing was saved: the write transaction rolled back)."""
    original = getattr(error, "original_exception", None) or error
    full = full_disk(original)
    if full is not None:
        log.error("storage full on %s %s: %s", request.method, request.path, full)
        return error_page(StorageFull())
    log.error("unhandled %s on %s %s", type(original).__name__, request.method, request.path,
              exc_info=(type(original), original, original.__traceback__))
    return error_page(InternalServerError())


def set_headers(response):
    """Security headers on everything; dynamic pages are never stored by a browser or proxy."""
    headers = response.headers
    headers.setdefault("Referrer-Policy", "no-referrer")
    if not 300 <= response.status_code < 400:  # a redirect has no content to protect; on GPRS every byte counts
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Permissions-Policy", "camera=(),microphone=(),geolocation=(),payment=()")
    if 300 <= response.status_code < 400 and response.location and not response.is_streamed:
        response.set_data(b"")  # no "Redirecting..." page that no browser shows: 200 bytes less a step on GPRS
    if current_app.config["HTTPS"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    return response


def select_options(field):
    """The <option>s of a select field, in <optgroup>s where its choices are grouped, escaped."""
    parts = []
    for group, grouped in field.iter_groups():
        if group:
            parts.append(f'<optgroup label="{escape(group)}">')
        parts.extend(f'<option value="{escape(choice.value)}"{" selected" if choice.selected else ""}>'
                     f'{escape(choice.label)}</option>' for choice in grouped)
        if group:
            parts.append("</optgroup>")
    return Markup("".join(parts))


def page_classes():
    """The classes on <html>: the kiosk's, then the session's display (text size, contrast)."""
    return " ".join(name for name in ("kiosk" if visit.is_kiosk() else "", display.classes()) if name)


def kilobytes(size):
    """A file's size as people read it: '12 KB' (rounded up, so no file shows as 0 KB)."""
    return f"{-(-size // 1024):,} KB"


def template_context():
    """What every template may use: the office's name and the page's display classes."""
    return {
        "office_name": regions.office_name(current_app.config["OFFICE_CODE"]),
        "kiosk": visit.is_kiosk(),
        "body_classes": page_classes,
        "display_links": display.links,
    }


def shown(value):
    """Every value a template prints, text without direction controls or zero-width characters
    (kiosk.inputs.neutral): a reporter's text cannot reorder or hide what staff read."""
    if isinstance(value, Markup):
        return Markup(inputs.neutral(str(value)))
    return inputs.neutral(value) if isinstance(value, str) else value


def init_app(app):
    """Install the headers, error handlers and template helpers on `app`."""
    app.context_processor(template_context)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.finalize = shown
    app.jinja_env.globals.update(place=regions.place, kinds=choices.KINDS, categories=choices.CATEGORY_SHORT,
                                 statuses=choices.STATUSES, label=choices.label,
                                 is_kiosk=visit.is_kiosk, select_options=select_options)
    app.jinja_env.filters.update(kb=kilobytes, tracking_code=tracking.grouped)
    app.after_request(set_headers)
    app.register_error_handler(HTTPException, error_page)
    app.register_error_handler(Exception, server_error)
