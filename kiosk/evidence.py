"""Evidence files: checked by their content (not their name) in memory, whole (kiosk.images for photos,
kiosk.containers for documents, sound and video), then locked under a key of their own and stored under the
SHA-256 of what is stored; never written readable to the disk, never served to the public. The file's key
travels sealed with the report (kiosk.sealing).

A photo or recording with location or camera data is kept twice, under the same key: the copy without them
(`blob`: what the hub receives and staff download) and, at the office only, the file exactly as it was sent
(`original`: an admin's download, audited). The receipt's SHA-256 is always of the file as it was sent."""
import collections
import hashlib
import os
import re
import tempfile
import threading
from dataclasses import dataclass

import peewee as pw
import puremagic
from flask import current_app

from . import containers, images, keys, store
from .limits import TEXT
from .models import Draft, Evidence

CHUNK = 64 * 1024
VERDICTS_KEPT = 1024  # SHA-256s whose check is remembered: the same file sent again is not decoded again
_verdicts = collections.OrderedDict()  # (sha256, type) -> None (whole) or a Rejected reason
_checking = threading.Lock()  # one file checked at a time: a burst of uploads cannot stack their decodes

# What the corner accepts, by the extension puremagic reads from the content: the canonical type.
ACCEPTED = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".jfif": "image/jpeg", ".jpe": "image/jpeg",
    ".png": "image/png", ".webp": "image/webp", ".gif": "image/gif",
    ".pdf": "application/pdf",
    ".mp3": "audio/mpeg", ".mpga": "audio/mpeg", ".m4a": "audio/mp4", ".f4a": "audio/mp4",
    ".ogg": "audio/ogg", ".oga": "audio/ogg", ".opus": "audio/ogg", ".wav": "audio/wav",
    ".amr": "audio/amr", ".aac": "audio/aac",
    ".mp4": "video/mp4", ".m4v": "video/mp4", ".3gp": "video/3gpp", ".3g2": "video/3gpp",
    ".webm": "video/webm", ".mov": "video/quicktime",
}
PILLOW_FORMATS = images.PILLOW_FORMATS
EXTENSION_OF = {}  # the usual extension of each accepted type: the first listed
for _extension, _mime in ACCEPTED.items():
    EXTENSION_OF.setdefault(_mime, _extension)
# Names that claim a program, a script or a page: whatever the content, such a file is not what its
# name says, and saved under that name on an office PC it could be opened as one.
ACTIVE = {".exe", ".com", ".scr", ".pif", ".bat", ".cmd", ".msi", ".dll", ".cpl", ".lnk", ".hta", ".jar", ".apk",
          ".js", ".mjs", ".vbs", ".vbe", ".wsf", ".ps1", ".sh", ".py", ".php", ".html", ".htm", ".xhtml", ".shtml",
          ".svg", ".svgz", ".xml", ".swf"}
# Invisible characters that reorder or hide text: 'foto\u202egpj.exe' shows as 'fotoexe.jpg'.
HIDDEN = re.compile("[\x00-\x1f\x7f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


class Rejected(Exception):
    """A file that is not stored; `reason` is one of: too_large, empty, type, mismatch, damaged,
    too_many_pixels, active (a PDF with scripts or attached files), protected (a PDF with a password),
    too_complex (a PDF of too many objects to walk), and no_space (the disk is full)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class Damaged(Exception):
    """A stored file whose bytes no longer match their hash (or do not open with their key)."""


@dataclass
class Stored:
    """A file kept, locked, in the evidence store: `blob` names what is stored and shared; `sha256` is the
    file's own hash as it was sent (the receipt's), `key` (base64) opens it. When location or camera data
    was taken out, `stripped_sha256` is the hash of the copy without them (`blob`) and `original` names the
    file as it was sent, locked under the same key; else both are ''."""

    blob: str
    sha256: str
    key: str
    filename: str
    mime: str
    size: int
    original: str = ""
    stripped_sha256: str = ""

    def as_dict(self):
        """For keeping in a (sealed) draft."""
        return {"blob": self.blob, "sha256": self.sha256, "key": self.key, "filename": self.filename,
                "mime": self.mime, "size": self.size, "original": self.original,
                "stripped_sha256": self.stripped_sha256}


def files():
    """This app's evidence store."""
    return store.evidence_store(current_app.config)


def clean_filename(name):
    """The file's own name without any folder part, control or direction-changing characters, shortened,
    for display."""
    base = os.path.basename(HIDDEN.sub("", name or "").replace("\\", "/")).strip()
    return (base or "file")[-TEXT["filename"]:]


def is_active_name(filename):
    """Whether the name claims a program, a script or a page (see ACTIVE)."""
    return os.path.splitext(filename)[1].lower() in ACTIVE


def download_name(filename, mime):
    """The name an evidence file is saved under on a staff PC: its own, ending in the extension of
    what it is ('rekaman' becomes 'rekaman.m4a'), so the PC opens it as that and nothing else."""
    if ACCEPTED.get(os.path.splitext(filename)[1].lower()) == mime:
        return filename
    return filename + EXTENSION_OF.get(mime, "")


def content_type(head):
    """The canonical type of the file starting with `head`, or None when it is not accepted."""
    try:
        candidates = puremagic.magic_string(head)
    except puremagic.PureError:
        return None
    for match in candidates:
        if match.extension.lower() in ACCEPTED:
            return ACCEPTED[match.extension.lower()]
    return None


def claimed_type(filename, declared):
    """The type a file's name or its declared Content-Type claims, when it claims one we know."""
    extension = os.path.splitext(filename)[1].lower()
    if extension in ACCEPTED:
        return ACCEPTED[extension]
    return declared if declared in ACCEPTED.values() else None


def family(mime):
    """'image', 'document' or 'media' (sound and video, whose containers overlap)."""
    return {"image": "image", "application": "document"}.get(mime.split("/")[0], "media")


def _check_whole(data, mime):
    """Refuse (Rejected) a file that is not whole: a picture of too many pixels, cut short or malformed; a
    document, sound or video whose structure is not of its type; a PDF that runs or carries something."""
    try:
        if mime in PILLOW_FORMATS:
            images.check(data, mime)
        else:
            containers.check(data, mime)
    except (images.Refused, containers.Refused) as refused:
        raise Rejected(refused.reason)


def _verdict(data, mime, digest):
    """None when `data` (of SHA-256 `digest`) is a whole file of type `mime`, else the reason it is not.
    Each file is checked once (the verdicts of the last VERDICTS_KEPT are kept), one at a time."""
    with _checking:
        if (digest, mime) in _verdicts:
            _verdicts.move_to_end((digest, mime))
            return _verdicts[(digest, mime)]
        try:
            _check_whole(data, mime)
            reason = None
        except Rejected as rejected:
            reason = rejected.reason
        _verdicts[(digest, mime)] = reason
        while len(_verdicts) > VERDICTS_KEPT:
            _verdicts.popitem(last=False)
        return reason


def check_content(data, mime):
    """Refuse (Rejected) `data` unless its content is of the accepted type `mime`, whole."""
    found = content_type(data[:8192])
    if found is None:
        raise Rejected("type")
    if found != mime:
        raise Rejected("mismatch")
    reason = _verdict(data, mime, hashlib.sha256(data).hexdigest())
    if reason:
        raise Rejected(reason)


def without_metadata(data, mime):
    """The file without location and camera data (the same bytes when it had none)."""
    try:
        if mime in PILLOW_FORMATS:
            return images.strip_metadata(data, mime)
        return containers.strip_metadata(data, mime)
    except (ValueError, IndexError):  # checked whole already: a file that still does not walk is not kept
        raise Rejected("damaged")


def _read_bounded(stream, max_bytes):
    """The upload's bytes, read a chunk at a time; Rejected('too_large') past `max_bytes`."""
    chunks, size = [], 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise Rejected("too_large")
        chunks.append(chunk)
    return b"".join(chunks)


def _put(locked):
    """Keep locked bytes in the store; their name."""
    try:
        return files().put_bytes(locked)[0]
    except OSError as error:
        if store.is_full(error):
            raise Rejected("no_space")  # the store removed its partial file
        raise


def save_upload(upload, max_bytes, known=()):
    """Check an uploaded file in memory, lock it under a new key and keep it (twice when location or camera
    data was taken out: see the module). Returns `Stored`, or None when its SHA-256 is among `known` (the
    same file again: not checked, not kept twice); raises `Rejected`."""
    filename = clean_filename(upload.filename)
    data = _read_bounded(upload.stream, max_bytes)
    if not data:
        raise Rejected("empty")
    digest = hashlib.sha256(data).hexdigest()
    if digest in known:
        return None
    mime = content_type(data[:8192])
    if mime is None:
        raise Rejected("type")
    claimed = claimed_type(filename, (upload.mimetype or "").lower())
    if claimed and family(claimed) != family(mime) or is_active_name(filename):
        raise Rejected("mismatch")
    reason = _verdict(data, mime, digest)
    if reason:
        raise Rejected(reason)
    shared = without_metadata(data, mime)
    key = keys.new_secret()
    blob = _put(keys.lock_bytes(key, shared))
    if shared is data:
        return Stored(blob, digest, keys.b64(key), filename, mime, len(data))
    try:
        original = _put(keys.lock_bytes(key, data))
    except Rejected:
        files().remove(blob)
        raise
    return Stored(blob, digest, keys.b64(key), filename, mime, len(data), original=original,
                  stripped_sha256=hashlib.sha256(shared).hexdigest())


def read_file(blob, key, sha256):
    """The bytes of a stored evidence file, opened with its `key` (base64) and checked against both its
    stored hash and its own `sha256` (of the copy without metadata for a `blob` that is one):
    Damaged when either does not match, FileNotFoundError when absent."""
    try:
        locked = files().read(blob)
        data = keys.unlock_bytes(keys.unb64(key), locked)
    except (store.Mismatch, keys.Locked):
        raise Damaged(blob)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise Damaged(blob)
    return data


def is_referenced(blob):
    """Whether a stored report or any draft still refers to this stored file (a copy or an original)."""
    if Evidence.select().where((Evidence.blob == blob) | (Evidence.original == blob)).exists():
        return True
    return Draft.select().where(pw.fn.instr(Draft.files, blob) > 0).exists()


def remove_unreferenced(hashes):
    """Delete the files among `hashes` that nothing refers to any more, and their previews."""
    evidence, shown = files(), previews()
    for sha256 in set(hashes):
        if store.is_sha256(sha256) and not is_referenced(sha256):
            evidence.remove(sha256)
            shown.remove(sha256)


def blobs_of(item):
    """The stored names of a draft's file (a dict of its answers): the copy, and the original if kept apart."""
    return [name for name in (item.get("blob"), item.get("original")) if name]


class Previews:
    """Staff previews of photos, each named by its photo's `blob` and locked under the photo's key: made
    once, kept until the photo goes (DATA_DIR/previews)."""

    def __init__(self, folder):
        self.folder = store.private_folder(folder)

    def get(self, blob):
        """The locked preview of `blob`, or None."""
        try:
            return (self.folder / blob).read_bytes() if store.is_sha256(blob) else None
        except FileNotFoundError:
            return None

    def put(self, blob, locked):
        """Keep the locked preview of `blob`, whole or not at all."""
        fd, temp = tempfile.mkstemp(dir=self.folder, prefix=store.PARTIAL)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(locked)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, self.folder / blob)
        except BaseException:
            if os.path.exists(temp):
                os.unlink(temp)
            raise

    def remove(self, blob):
        """Delete the preview of `blob`, if any."""
        if store.is_sha256(blob):
            (self.folder / blob).unlink(missing_ok=True)

    def remove_orphans(self, files):
        """Delete the previews of photos the FileStore `files` no longer holds; returns how many."""
        gone = [path for path in self.folder.iterdir() if store.is_sha256(path.name) and not files.has(path.name)]
        for path in gone:
            path.unlink(missing_ok=True)
        return len(gone)


def previews(config=None):
    """The office's (or the hub's) previews."""
    return Previews(os.path.join((config or current_app.config)["DATA_DIR"], "previews"))


def preview(blob, key, data):
    """The preview JPEG of the stored photo `blob` (its bytes `data`, opened with `key`, base64): made once,
    then kept locked under the same key; None when the photo does not decode."""
    shown, secret = previews(), keys.unb64(key)
    locked = shown.get(blob)
    if locked is not None:
        try:
            return keys.unlock_bytes(secret, locked)
        except keys.Locked:
            pass  # damaged: made again
    made = images.preview(data)
    if made is not None:
        try:
            shown.put(blob, keys.lock_bytes(secret, made))
        except OSError:  # no room: shown this once, made again next time
            pass
    return made
