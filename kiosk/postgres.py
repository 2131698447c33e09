"""The hub on PostgreSQL: KIOSK_DATABASE_URL=postgresql://… opens a pool of psycopg (3) connections through
peewee's playhouse.pool; the same models and migrations as on SQLite. Offices stay on SQLite."""
from urllib.parse import urlsplit, urlunsplit

import click

from playhouse import db_url
from playhouse.pool import PooledPostgresqlDatabase

SCHEMES = ("postgresql", "postgres")
# A request, the nightly job or a sync batch holds one connection at a time: the server's threads and a few
# more. The URL's query may say otherwise (`?max_connections=40`); a thread waits up to `timeout` seconds for
# one to be free rather than fail at once. psycopg prepares a statement once it has run five times, and
# PostgreSQL may then keep a generic plan for it whatever its values; the ingest asks about lists of ids whose
# best plan depends on how full the tables are, so each statement is planned afresh (prepare_threshold=None).
POOL = {"max_connections": 20, "stale_timeout": 300, "timeout": 30, "prepare_threshold": None}


class SettingsError(click.ClickException):
    """KIOSK_DATABASE_URL names a database this role cannot use (the `kiosk` command prints it as one line)."""


def is_postgres(url):
    """Whether `url` names a PostgreSQL database."""
    return urlsplit(url).scheme in SCHEMES


def without_password(url):
    """`url` with its password replaced by ***, to be shown or logged."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def sqlite_path(url):
    """The file a `sqlite:///` URL names."""
    return db_url.parse(url)["database"]


def check(config):
    """Refuse a PostgreSQL database for an office: it keeps one SQLite file, with no server to run, and its
    backups, restores and kiosk's full-disk page are made for that file."""
    if is_postgres(config["DATABASE_URL"]) and config["ROLE"] != "hub":
        raise SettingsError(
            f"KIOSK_DATABASE_URL names a PostgreSQL database, but KIOSK_ROLE is {config['ROLE']!r}: only the hub "
            "(KIOSK_ROLE=hub) runs on PostgreSQL. An office keeps its database in one SQLite file; unset "
            "KIOSK_DATABASE_URL or give it a sqlite:/// URL.")
    if urlsplit(config["DATABASE_URL"]).scheme not in (*SCHEMES, "sqlite"):
        raise SettingsError(f"KIOSK_DATABASE_URL must start with sqlite:/// or postgresql://, not "
                            f"{without_password(config['DATABASE_URL'])!r}")


class HubDatabase(PooledPostgresqlDatabase):
    """The hub's PostgreSQL pool, always over psycopg 3."""

    def __init__(self, database, **kwargs):
        super().__init__(database, prefer_psycopg3=True, **kwargs)


def open_database(url):
    """A pool of connections to the PostgreSQL database at `url` (the URL's query adds connect or pool
    parameters)."""
    params = db_url.parse(url, unquote_password=True, unquote_user=True)
    return HubDatabase(params.pop("database"), **{**POOL, **params})
