"""The report being written, kept on the server under a random id held in the session."""
import secrets

from flask import current_app, session

from .. import evidence, visit
from ..db import writing
from ..models import Draft, utcnow

SESSION_KEY = "draft"


def current_id():
    """The id of this session's draft, or None."""
    return session.get(SESSION_KEY) or None


def current():
    """This session's draft, or None."""
    draft_id = current_id()
    return Draft.find(draft_id) if draft_id else None


def start(kind, channel=None):
    """Begin a new draft of `kind` ('formal' or 'tip') for this session, arriving by `channel` (default:
    the kiosk or the web; 'assisted' when staff type it in); drafts abandoned long ago
    (KIOSK_DRAFT_HOURS) are discarded on the way, with their files."""
    purge_stale(current_app.config["DRAFT_HOURS"])
    channel = channel or ("kiosk" if visit.is_kiosk() else "web")
    office = current_app.config["OFFICE_CODE"]
    # Most reports concern the office's own kabupaten/kota: start there (and skip a round trip).
    fields = {"regency": office} if office.count(".") == 1 else {}
    draft = Draft(id=secrets.token_urlsafe(16),
                  data={"kind": kind, "channel": channel, "fields": fields, "witnesses": [], "evidence": []})
    with writing():
        draft.save(force_insert=True)
    session[SESSION_KEY] = draft.id
    return draft


def switch(draft, kind):
    """Make the draft a formal report or a tip; every answer is kept."""
    if draft.data["kind"] != kind:
        draft.data["kind"] = kind
        store(draft)
    return draft


def store(draft, **fields):
    """Merge `fields` (as typed) into the draft and save it."""
    draft.data["fields"].update(fields)
    draft.updated_at = utcnow()
    with writing():
        draft.keep()


def discard(draft):
    """Delete the draft and any uploaded file that only it referred to."""
    hashes = [item["sha256"] for item in draft.data.get("evidence", [])]
    with writing():
        draft.delete_instance()
    evidence.remove_unreferenced(hashes)


@visit.on_end
def forget():
    """Drop this session's draft, if any (and so at the end of every visit)."""
    draft = current()
    if draft:
        discard(draft)
    session.pop(SESSION_KEY, None)


def purge_stale(hours):
    """Discard drafts untouched for `hours`; return how many went."""
    stale = list(Draft.stale(hours))
    for draft in stale:
        discard(draft)
    return len(stale)
