"""Finding reports by what is sealed, without storing it readable: blind indexes. For each report the
office keeps keyed hashes (kiosk.keys.keyed_hash) of its reporter's exact NIK, phone number and every word
of the reporter's and the reported party's names, under a key derived from the office's private key; a
search hashes what staff typed under the same key and looks the hash up. Without the key the hashes reveal
nothing and cannot be computed, so they are made while an account holding the key is signed in (a report
taken since is indexed at the next staff request). The tokens stay at the office (the hub makes its own
under its key)."""
import re
import unicodedata

import peewee as pw
from lokal import parse_phone

from . import keys, sealing
from .db import BaseModel, writing
from .models import Report

INDEX_AT_ONCE = 200  # reports indexed per staff request: a first sign-in after an upgrade catches up gradually
WORD = re.compile(r"[^\W\d_]{2,}")


class SearchToken(BaseModel):
    """One keyed hash of something sealed in a report."""

    report = pw.ForeignKeyField(Report, backref="search_tokens", on_delete="CASCADE")
    token = pw.CharField(index=True)


def _key(private_key):
    return keys.subkey(private_key, "search")


def words(text):
    """The words of a name as they are indexed: lower case, accents dropped, letters only, two or more."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return set(WORD.findall(plain))


def phone_of(text):
    """A phone number as it is indexed (E.164), or '' when it is not one."""
    parsed = parse_phone(text) if text else None
    return parsed.e164 if parsed is not None and parsed.valid else ""


def terms(person, terlapor_name):
    """What is indexed of a report: its reporter's NIK and phone, and the words of both names."""
    found = set()
    if person.reporter_nik:
        found.add(f"nik:{person.reporter_nik}")
    if phone_of(person.reporter_phone):
        found.add(f"phone:{phone_of(person.reporter_phone)}")
    found |= {f"word:{word}" for word in words(person.reporter_name) | words(terlapor_name)}
    return found


def index_pending(private_key, hub=False, limit=INDEX_AT_ONCE):
    """Make the tokens of up to `limit` reports not indexed yet; returns how many were done."""
    pending = list(Report.select().where(Report.indexed == False).limit(limit))  # noqa: E712
    if not pending:
        return 0
    key, rows = _key(private_key), []
    done = []
    for report in pending:
        try:
            person = sealing.open_fields(sealing.report_key(report, private_key, hub=hub), report.personal,
                                         sealing.REPORT_FIELDS)
        except sealing.Unreadable:
            continue  # not sealed to this key (at the hub: an office that did not know the hub's key yet)
        rows.extend({"report": report.id, "token": keys.keyed_hash(key, term, "search")}
                    for term in terms(person, report.terlapor_name))
        done.append(report.id)
    with writing():
        SearchToken.delete().where(SearchToken.report.in_(done)).execute()
        for chunk in pw.chunked(rows, 300):
            SearchToken.insert_many(chunk).execute()
        # Not a change of the report: no new change number (`indexed` never travels).
        Report.update(indexed=True).where(Report.id.in_(done)).execute()
    return len(done)


def forget(report_id):
    """Drop a report's tokens (its sealed fields changed); it is indexed again at the next staff request."""
    SearchToken.delete().where(SearchToken.report == report_id).execute()
    Report.update(indexed=False).where(Report.id == report_id).execute()


def query_terms(text):
    """What a typed search looks for: an exact NIK, a phone number, or every word of a name."""
    text = (text or "").strip()
    digits = re.sub(r"[\s.\-]", "", text)
    if digits.isascii() and digits.isdigit() and len(digits) == 16:
        return {f"nik:{digits}"}
    if phone_of(text):
        return {f"phone:{phone_of(text)}"}
    return {f"word:{word}" for word in words(text)}


def matching(private_key, text):
    """A query of the ids of the reports whose sealed fields match `text` (every term must), or None when
    `text` names nothing searchable."""
    wanted = query_terms(text)
    if not wanted:
        return None
    key = _key(private_key)
    tokens = [keys.keyed_hash(key, term, "search") for term in wanted]
    return (SearchToken.select(SearchToken.report).where(SearchToken.token.in_(tokens))
            .group_by(SearchToken.report).having(pw.fn.COUNT(pw.fn.DISTINCT(SearchToken.token)) == len(tokens)))


MODELS = [SearchToken]
