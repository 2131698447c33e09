"""The report being written, kept on the server under a random id held in the session, and locked under a
key of its own that lives only in the person's session cookie: the review step shows the answers back, and
the disk never holds them readable. The same key becomes the report's key when it is sent, so that the
receipt can list the files by name (kiosk.lapor.receipt)."""
import secrets

from flask import current_app, session

from .. import evidence, housekeeping, keys, limits, visit
from ..db import writing
from ..models import Draft, utcnow

SESSION_KEY = "draft"
KEY = "draft_key"  # the draft's key, base64, in the (signed, HttpOnly) session cookie


def current_id():
    """The id of this session's draft, or None."""
    return session.get(SESSION_KEY) or None


def current_key():
    """The key of this session's draft, or None."""
    try:
        return keys.unb64(session[KEY]) if session.get(KEY) else None
    except keys.Locked:
        return None


def current():
    """This session's draft, its answers opened (`draft.data`), or None (none, or its key is lost)."""
    draft_id, key = current_id(), current_key()
    draft = Draft.find(draft_id) if draft_id and key else None
    if draft is None:
        return None
    try:
        draft.data = keys.unlock_json(key, draft.sealed)
    except keys.Locked:
        return None
    return draft


def _seal(draft, key):
    """Lock the draft's answers under `key`, and name its files for the store."""
    draft.sealed = keys.lock_json(key, draft.data)
    draft.files = [name for item in draft.data.get("evidence", []) for name in evidence.blobs_of(item)]


def start(kind, channel=None):
    """Begin a new draft of `kind` ('formal' or 'tip') for this session, arriving by `channel` (default:
    the kiosk or the web; 'assisted' when staff type it in); drafts abandoned long ago
    (KIOSK_DRAFT_HOURS) are discarded on the way, with their files."""
    purge_stale(current_app.config["DRAFT_HOURS"])
    channel = channel or ("kiosk" if visit.is_kiosk() else "web")
    office = current_app.config["OFFICE_CODE"]
    # Most reports concern the office's own kabupaten/kota: start there (and skip a round trip).
    fields = {"regency": office} if office.count(".") == 1 else {}
    key = keys.new_secret()
    draft = Draft(id=secrets.token_urlsafe(16))
    draft.data = {"kind": kind, "channel": channel, "fields": fields, "witnesses": [], "evidence": []}
    _seal(draft, key)
    with writing():
        draft.save(force_insert=True)
    session[SESSION_KEY], session[KEY] = draft.id, keys.b64(key)
    return draft


def switch(draft, kind):
    """Make the draft a formal report or a tip; every answer is kept."""
    if draft.data["kind"] != kind:
        draft.data["kind"] = kind
        store(draft)
    return draft


def store(draft, **fields):
    """Merge `fields` (as typed, each cut to twice its limit: the person sees the error, and nothing longer
    is ever stored) into the draft and save it, locked."""
    draft.data["fields"].update({name: limits.as_kept(name, value) for name, value in fields.items()})
    draft.updated_at = utcnow()
    _seal(draft, current_key())
    with writing():
        draft.keep()


def discard(draft):
    """Delete the draft and any uploaded file that only it referred to (no key needed: `files` names them)."""
    with writing():
        draft.delete_instance()
    evidence.remove_unreferenced(draft.files or [])


@visit.on_end
def forget():
    """Drop this session's draft, if any (and so at the end of every visit)."""
    draft_id = current_id()
    draft = Draft.find(draft_id) if draft_id else None
    if draft:
        discard(draft)
    session.pop(SESSION_KEY, None)
    session.pop(KEY, None)


def purge_stale(hours):
    """Discard drafts untouched for `hours`, with their files; returns how many went."""
    stale = list(Draft.stale(hours))
    for draft in stale:
        discard(draft)
    return len(stale)


@housekeeping.job
def discard_stale(config):
    """The periodic job (kiosk serve and kiosk nightly): drafts left longer than KIOSK_DRAFT_HOURS go, with
    their files, whether or not anyone starts a new one."""
    return f"drafts: {purge_stale(config['DRAFT_HOURS']):,} left over {config['DRAFT_HOURS']} hours discarded"
