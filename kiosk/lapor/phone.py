"""Photos from the visitor's own phone: at the kiosk the evidence step shows a QR code of a one-time upload
link for this draft. The link's token is random, lives in the kiosk's session and in the QR code only (the
database keeps its SHA-256), expires after KIOSK_PHONE_LINK_MINUTES and is revoked when the visit ends. A
file sent from the phone is checked as any evidence, locked, and waits (`PhoneUpload`, its description
sealed under a key derived from the token) until the kiosk, which holds the draft's key, takes it in."""
import datetime as dt
import hashlib
import secrets

import peewee as pw
from flask import current_app, session, url_for

from .. import evidence, hosts, housekeeping, keys, visit
from ..db import BaseModel, writing
from ..models import Draft, JSONText, utcnow

SESSION_TOKEN = "phone_link"


class PhoneLink(BaseModel):
    """One upload link: for which draft, until when, and how many more files the draft can take."""

    token_hash = pw.CharField(unique=True)
    draft_id = pw.CharField(index=True)
    expires_at = pw.DateTimeField(index=True)
    room = pw.IntegerField(default=0)  # the draft's free places when the kiosk last looked
    received = pw.IntegerField(default=0)  # files sent through this link (the phone's page counts them)


class PhoneUpload(BaseModel):
    """A file sent from the phone, waiting for the kiosk: `sealed` (under the token's key) describes it as a
    draft does, `files` names its blobs in the store."""

    link = pw.ForeignKeyField(PhoneLink, backref="uploads", on_delete="CASCADE")
    sealed = pw.TextField()
    files = JSONText(default=list)
    created_at = pw.DateTimeField(default=utcnow)


MODELS = [PhoneLink, PhoneUpload]


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _key(token):
    return keys.subkey(token.encode()[:64], "phone-upload")


def public_root():
    """KIOSK_PUBLIC_URL without a trailing slash, or None while it is unset or a loopback address: a phone
    cannot reach this machine's 127.0.0.1."""
    config = current_app.config
    return None if hosts.public_url_problem(config) else config["PUBLIC_URL"].rstrip("/")


def find(token):
    """The live link of `token` (not expired, its draft still open), or None."""
    if not token or len(token) > 100:
        return None
    link = PhoneLink.get_or_none(PhoneLink.token_hash == _hash(token))
    if link is None or link.expires_at <= utcnow():
        return None
    return link if Draft.find(link.draft_id) else None


def offer(draft):
    """For the kiosk's evidence step: {'phone_url': the link} (made, or the session's own while it lives),
    {'phone_problem': 'no_public_url'}, or {} when the draft has no room for another file."""
    room = current_app.config["UPLOAD_MAX_FILES"] - len(draft.data.get("evidence", []))
    root = public_root()
    if room <= 0:
        return {}
    if root is None:
        return {"phone_problem": "no_public_url"}
    token = session.get(SESSION_TOKEN)
    link = find(token)
    if link is None or link.draft_id != draft.id:
        _revoke(token)
        token = secrets.token_urlsafe(32)
        minutes = current_app.config["PHONE_LINK_MINUTES"]
        with writing():
            PhoneLink.create(token_hash=_hash(token), draft_id=draft.id, room=room,
                             expires_at=utcnow() + dt.timedelta(minutes=minutes))
        session[SESSION_TOKEN] = token
    elif link.room != room:
        with writing():
            PhoneLink.update(room=room).where(PhoneLink.id == link.id).execute()
    return {"phone_url": root + url_for("lapor.phone_upload", token=token)}


def room_left(link):
    """How many files the phone may still send through `link`."""
    return max(0, link.room - link.uploads.count())


def keep(token, stored):
    """Queue the files `stored` (evidence.Stored) for the kiosk; False (and nothing kept) when the link
    went meanwhile."""
    with writing():
        link = find(token)
        if link is not None:
            for item in stored:
                PhoneUpload.create(link=link, sealed=keys.lock_json(_key(token), item.as_dict()),
                                   files=evidence.blobs_of(item.as_dict()))
            PhoneLink.update(received=PhoneLink.received + len(stored)).where(PhoneLink.id == link.id).execute()
    if link is None:
        evidence.remove_unreferenced([name for item in stored for name in evidence.blobs_of(item.as_dict())])
    return link is not None


def collect(draft):
    """Take into `draft` the files its phone link brought (at most the draft's limit, each file once);
    returns how many were added. The draft is saved before the waiting rows go, so nothing is lost between."""
    from . import drafts

    token = session.get(SESSION_TOKEN)
    link = find(token)
    if link is None or link.draft_id != draft.id:
        return 0
    waiting = list(link.uploads.order_by(PhoneUpload.id))
    if not waiting:
        return 0
    kept, limit, added, dropped = draft.data.setdefault("evidence", []), current_app.config["UPLOAD_MAX_FILES"], 0, []
    for row in waiting:
        try:
            item = keys.unlock_json(_key(token), row.sealed)
        except keys.Locked:
            dropped.extend(row.files)
            continue
        if len(kept) >= limit or item["sha256"] in {known["sha256"] for known in kept}:
            dropped.extend(row.files)
            continue
        kept.append(item)
        added += 1
    drafts.store(draft)
    with writing():
        PhoneUpload.delete().where(PhoneUpload.id.in_([row.id for row in waiting])).execute()
        PhoneLink.update(room=max(0, limit - len(kept))).where(PhoneLink.id == link.id).execute()
    evidence.remove_unreferenced(dropped)
    return added


def _revoke(token):
    """Delete the link of `token`, if any, with the files it brought that no draft took."""
    if token:
        _delete(PhoneLink.select().where(PhoneLink.token_hash == _hash(token)))


def _delete(links):
    """Delete `links` and their waiting files."""
    links = list(links)
    if not links:
        return
    blobs = [name for row in PhoneUpload.select().where(PhoneUpload.link.in_(links)) for name in row.files]
    with writing():
        PhoneUpload.delete().where(PhoneUpload.link.in_(links)).execute()
        PhoneLink.delete().where(PhoneLink.id.in_([link.id for link in links])).execute()
    evidence.remove_unreferenced(blobs)


@visit.on_end
def revoke():
    """End this session's link with the visit."""
    _revoke(session.pop(SESSION_TOKEN, None))


@housekeeping.job
def discard_expired(config):
    """The periodic job: expired links go, with the files that waited on them."""
    expired = list(PhoneLink.select().where(PhoneLink.expires_at <= utcnow()))
    _delete(expired)
    return f"phone links: {len(expired):,} expired discarded"
