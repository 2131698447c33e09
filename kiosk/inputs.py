"""What the app takes from a browser. Every text value of a query string or form arrives without NUL
and the other invisible control characters (tab and line breaks stay): no person types them, a
database, a CSV cell or a spreadsheet may cut a value short at a NUL, and one rule everywhere is
simpler to trust than a check on each field."""
import re

import flask
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
RAW_BYTE = re.compile(rb"[\x80-\xff]")


def clean(value):
    """`value` without control characters other than tab, line feed and carriage return; anything
    that is not text (an uploaded file) as it is."""
    return CONTROL.sub("", value) if isinstance(value, str) else value


class CleanMultiDict(ImmutableMultiDict):
    """The query string's and the form's values (and names), cleaned as they are parsed."""

    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
        else:
            super().__init__([(clean(key), clean(value)) for key, value in iter_multi_items(mapping)])


class Request(flask.Request):
    """Flask's request, with cleaned query strings and forms."""

    parameter_storage_class = CleanMultiDict

    def __init__(self, environ, *args, **kwargs):
        super().__init__(environ, *args, **kwargs)
        # Werkzeug decodes the raw query string strictly (for `args`, `full_path`, ...): a byte that is
        # not UTF-8 sent unescaped (browsers escape it; other software may not) would be a 500. Escape
        # such bytes as a browser would; an escaped byte that is not UTF-8 werkzeug already tolerates.
        try:
            self.query_string.decode()
        except UnicodeDecodeError:
            self.query_string = RAW_BYTE.sub(lambda match: b"%%%02X" % match.group()[0], self.query_string)
