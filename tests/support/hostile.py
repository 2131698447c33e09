"""What hostile input looks like, for the property-based tests: markup and script payloads, formula
and SQL injection, every kind of Unicode, very long strings, malformed dates and numbers, and forms
with fields missing or repeated. Plus the check every response must pass."""
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from .citizen import CSRF

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '" autofocus onfocus="alert(1)',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<a href=javascript:alert(1)>x</a>",
    "<iframe srcdoc='<script>alert(1)</script>'>",
]
# What an unescaped payload puts in a page; none may ever appear raw.
RAW = ["<script>alert", "<img src=x", "<svg onload", 'onfocus="alert', "<a href=javascript", "<iframe"]

PAYLOADS = XSS + [
    "javascript:alert(1)", "{{ 7*7 }}", "{% print 1 %}", "${7*7}", "#{7*7}",
    '=HYPERLINK("http://example.com","klik")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1",
    "' OR '1'='1' --", "Robert'); DROP TABLE report;--", "1; SELECT * FROM staff",
    "\u202egpj.exe", "مرحبا بالعالم", "עברית", "Z\u0334\u0327\u031ba\u0337l\u0338g\u0335o\u0336" * 20,
    "👩‍👩‍👧‍👦🇮🇩" * 10, "\ufeff", "\u200b\u200c\u200d", "a\x00b", "\x00", "%00", "\x1b[31m", "\x7f\x08",
    "../../etc/passwd", "..\\..\\windows\\win.ini", "/dev/null", "\\", "'", '"', "<", "&amp;", "&#x3C;script",
    "A" * 10_000, "é" * 6000, "𝕏" * 3000, "\n" * 500, " ",
]
DATES = ["2026-02-30", "31/02/2026", "0000-00-00", "0001-01-01", "9999-12-31", "10000-01-01", "99999-1-1",
         "2026-13-01", "-2026-01-01", "1/1/1", "２０２６-０１-０１", "2026-1-1", "1e9", "NaN", "today", "2026/01/01",
         "01.01.1900", "1900-02-29", "2000-02-29", "2026-11-27T10:00", ""]
NUMBERS = ["-1", "0", "1e309", "99999999999999999999999", "0x10", "NaN", "inf", "٣", "²", "1.5", " 1", "1_000"]

# Any character but a lone surrogate (no browser can send one: UTF-8 cannot carry it; the raw-byte
# tests send what a broken client would instead).
CHARACTERS = st.characters(exclude_categories=("Cs",))
hostile = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(CHARACTERS, max_size=300),
    st.builds(lambda a, p, b: a + p + b, st.text(CHARACTERS, max_size=20), st.sampled_from(PAYLOADS),
              st.text(CHARACTERS, max_size=20)),
    st.sampled_from(DATES),
    st.sampled_from(NUMBERS),
)


def form_data(fields, values=hostile, **fixed):
    """A form as a MultiDict: each of `fields` missing, given once or given again (a repeated field),
    in any order, with hostile values; `fixed` values (strategies) come first."""
    pairs = st.lists(st.tuples(st.sampled_from(fields), values), max_size=2 * len(fields))
    first = st.fixed_dictionaries(fixed) if fixed else st.just({})
    return st.builds(lambda head, rest: MultiDict(list(head.items()) + rest), first, pairs)


# A hostile run is many requests per example: no deadline, and the function-scoped app is meant to
# be shared by the examples of one test (its database collects what each example left).
HOSTILE = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                         HealthCheck.data_too_large])


def check_page(response):
    """No server error, and no payload in the page unescaped. Returns the page's text."""
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    page = response.get_data(as_text=True)
    for raw in RAW:
        assert raw not in page, f"{raw!r} unescaped in a {response.status_code} page"
    if response.mimetype == "text/html" and not 300 <= response.status_code < 400:
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]  # no inline script runs
    return page


def token_of(client, url):
    """The CSRF token of the form at `url`."""
    return CSRF.search(client.get(url, follow_redirects=True).get_data(as_text=True)).group(1)
