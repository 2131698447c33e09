"""Languages: Indonesian by default, English on request; the first visit follows Accept-Language."""
import contextlib
from urllib.parse import urlencode, urlsplit

from flask import (
    g,
    has_app_context,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import (
    force_locale,
    format_date,
    format_datetime,
    get_locale,
    get_translations,
)
from flask_babel.speaklater import LazyString

from . import paths
from .extensions import babel

LANGUAGES = ("id", "en")
SESSION_KEY = "lang"  # the language chosen on the switch
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def select_locale():
    """The language chosen on the switch, else the browser's preference, else Indonesian."""
    if not has_request_context():  # the command line speaks the default language
        return LANGUAGES[0]
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or LANGUAGES[0]


def safe_next(target):
    """`target` when it is a path on this site, else '/' (no open redirects). Browsers read a
    backslash as a slash ('/\\evil.example' is another site) and drop tabs and line breaks, and a line
    break cannot go in a Location header at all: any of them, or another control character, is refused."""
    target = target or ""
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or target.startswith("//"):
        return "/"
    return target


def switch_language(code):
    """Remember the chosen language for this session and go back to the page it was chosen on."""
    if code in LANGUAGES:
        session[SESSION_KEY] = code
    return redirect(safe_next(request.args.get("next")), code=303)


# The query parameters each blueprint's pages keep when the language or display changes (registered by
# the blueprint: `keep_params`); None keeps them all. Anything else in the address is dropped, so that a
# crafted link cannot put text of its choosing into the page (which also carries a CSRF token and is
# compressed: the makings of a BREACH attack).
_kept_params = {}


def keep_params(blueprint, *names):
    """Keep these query parameters of `blueprint`'s pages on the language and display links; none named:
    keep them all (pages that are never compressed, such as the staff workspace's filters)."""
    _kept_params[blueprint.name] = names or None


def page_url():
    """The address of the page being shown: the pushed address when a post answers with the next
    step, else this request's own path with the parameters its blueprint keeps (`keep_params`)."""
    if g.get("page_url"):
        return g.page_url
    if request.method != "GET":
        return request.path
    names = _kept_params.get(request.blueprint, ())
    if names is None:
        return request.full_path.rstrip("?")
    kept = {key: request.args[key] for key in names if key in request.args}
    return request.path + ("?" + urlencode(kept) if kept else "")


def language_links():
    """For the switch on every page: (code, name, url, current) for each language."""
    here = page_url()
    current = str(get_locale())
    return [
        (code, LANGUAGE_NAMES[code], url_for("switch_language", code=code, next=here), code == current)
        for code in LANGUAGES
    ]


def translations():
    """This request's catalogue, looked up once. Flask-Babel looks it up anew for every string (a
    dozen context lookups each time), and a page has hundreds of strings."""
    if not has_app_context():
        return get_translations()
    found = g.get("_translations")
    if found is None:
        found = g._translations = get_translations()
    return found


@contextlib.contextmanager
def speaking(code):
    """Translate into `code` inside the block, whatever the request's language (an official paper is in
    Indonesian even for staff who read English; a message is in its reporter's language): the catalogue is
    looked up afresh on the way in, and the request's own is put back on the way out."""
    kept = g.pop("_translations", None)
    try:
        with force_locale(code):
            yield
    finally:
        g.pop("_translations", None)
        if kept is not None:
            g._translations = kept


def gettext(string, **variables):
    """Flask-Babel's gettext, with the catalogue looked up once a request."""
    text = translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular, plural, num, **variables):
    """Flask-Babel's ngettext (`num` is a variable too), with the catalogue looked up once a request."""
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def lazy_gettext(string, **variables):
    """A string translated when it is shown, in the language of the request showing it."""
    return LazyString(gettext, string, **variables)


DAY_WITH_NAME = "EEEE, d MMMM y"  # 'Jumat, 4 Desember 2026': Babel's Indonesian 'full' writes '04'


def full_day(day):
    """A day with its weekday, without a leading zero, in either language."""
    return format_date(day, DAY_WITH_NAME)


def moment(when, month="MMMM"):
    """A date and hour in the office's time, '4 Desember 2026, 14.05 WIB' ('Des' with month="MMM"): Banten
    keeps WIB all year, and 'WIB' reads the same in English, where Babel would write '+0700'."""
    return format_datetime(when, f"d {month} y, HH.mm") + " WIB"


def init_app(app):
    """Wire Flask-Babel to the app and give templates the locale helpers."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(paths.TRANSLATIONS))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.add_url_rule("/bahasa/<code>", "switch_language", switch_language)
    app.jinja_env.globals.update(
        get_locale=get_locale,
        language_links=language_links,
        format_date=format_date,
        format_datetime=format_datetime,
        full_day=full_day,
        moment=moment,
    )
