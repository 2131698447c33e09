"""What the app takes from a browser. Every text value of a query string or form arrives without NUL
and the other invisible control characters (tab and line breaks stay): no person types them, a
database, a CSV cell or a spreadsheet may cut a value short at a NUL, and one rule everywhere is
simpler to trust than a check on each field."""
import re

import flask
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
RAW_BYTE = re.compile(rb"[\x80-\xff]")
# Characters that turn text around or hide in it: the direction marks, embeddings, overrides and isolates
# ('\u202egpj.exe' shows as 'exe.jpg'), and the zero-width spaces, joiners and word joiners.
INVISIBLE = re.compile("[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# A form's body, far below the upload limit: the longest form (the event, its description typed to twice
# its limit in four-byte characters, %-escaped) fits in a quarter of this. Only a view that takes files
# (`takes_files`) accepts a larger multipart body; a url-encoded body never is larger.
FORM_BODY_MAX = 256 * 1024
# One text part of a multipart form (Flask's MAX_FORM_MEMORY_SIZE). Werkzeug applies it to its parser's
# buffer as well, which reads 64 KB at a time and keeps a tail that might begin the next boundary: at 64 KB
# any file larger than a read was refused with 413. Three reads' worth, and still far below the upload cap.
FORM_FIELD_MAX = 192 * 1024
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def clean(value):
    """`value` without control characters other than tab, line feed and carriage return; anything
    that is not text (an uploaded file) as it is."""
    return CONTROL.sub("", value) if isinstance(value, str) else value


def neutral(text):
    """`text` as staff see it (pages, CSV): without the characters of INVISIBLE. What the reporter sent is
    kept as sent."""
    return INVISIBLE.sub("", text)


class CleanMultiDict(ImmutableMultiDict):
    """The query string's and the form's values (and names), cleaned as they are parsed."""

    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
        else:
            super().__init__([(clean(key), clean(value)) for key, value in iter_multi_items(mapping)])


def takes_files(view):
    """Mark `view` as one that receives files: its multipart body may reach MAX_CONTENT_LENGTH."""
    view.takes_files = True
    return view


class Request(flask.Request):
    """Flask's request, with cleaned query strings and forms, and a form's body bounded by its route."""

    parameter_storage_class = CleanMultiDict

    @property
    def max_content_length(self):
        """The largest body this request may have: a form's (FORM_BODY_MAX) unless it is a multipart
        post to a view that takes files; any other body (the sync API's) the app's own limit."""
        limit = super().max_content_length
        if self.mimetype not in FORM_TYPES:
            return limit
        if self.mimetype == "multipart/form-data" and self._takes_files():
            return limit
        return FORM_BODY_MAX if limit is None else min(limit, FORM_BODY_MAX)

    @max_content_length.setter
    def max_content_length(self, value):
        self._max_content_length = value

    def _takes_files(self):
        rule = self.url_rule
        view = flask.current_app.view_functions.get(rule.endpoint) if rule is not None and flask.current_app else None
        return bool(getattr(view, "takes_files", False))

    def __init__(self, environ, *args, **kwargs):
        super().__init__(environ, *args, **kwargs)
        # Werkzeug decodes the raw query string strictly (for `args`, `full_path`, ...): a byte that is
        # not UTF-8 sent unescaped (browsers escape it; other software may not) would be a 500. Escape
        # such bytes as a browser would; an escaped byte that is not UTF-8 werkzeug already tolerates.
        try:
            self.query_string.decode()
        except UnicodeDecodeError:
            self.query_string = RAW_BYTE.sub(lambda match: b"%%%02X" % match.group()[0], self.query_string)
