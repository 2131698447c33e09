"""Evidence files: checked by their content (not their name) in memory, then locked under a key of their
own and stored under the SHA-256 of what is stored; never written readable to the disk, never served to the
public. The file's key travels sealed with the report (kiosk.sealing)."""
import hashlib
import io
import os
import re
import warnings
from dataclasses import dataclass

import peewee as pw
import puremagic
from flask import current_app
from PIL import Image

from . import keys, store
from .limits import TEXT
from .models import Draft, Evidence

CHUNK = 64 * 1024
Image.MAX_IMAGE_PIXELS = 60_000_000  # larger than any phone camera; a bigger header is a bomb

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
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
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
    """A file that is not stored; `reason` is one of: too_large, empty, type, mismatch, damaged, and
    no_space (the disk is full)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class Damaged(Exception):
    """A stored file whose bytes no longer match their hash (or do not open with their key)."""


@dataclass
class Stored:
    """A file kept, locked, in the evidence store: `blob` names what is stored; `sha256` is the file's own
    hash (the receipt's), `key` (base64) opens it."""

    blob: str
    sha256: str
    key: str
    filename: str
    mime: str
    size: int

    def as_dict(self):
        """For keeping in a (sealed) draft."""
        return {"blob": self.blob, "sha256": self.sha256, "key": self.key, "filename": self.filename,
                "mime": self.mime, "size": self.size}


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
    """Refuse an image that cannot be fully decoded (truncated, or a decompression bomb) and a
    PDF without its end marker."""
    if mime in PILLOW_FORMATS:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as image:
                    if image.format != PILLOW_FORMATS[mime]:
                        raise Rejected("mismatch")
                    image.draft("RGB", (512, 512))  # JPEG decodes scaled down: cheap, but reads every byte
                    image.load()
        except Rejected:
            raise
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise Rejected("damaged")
    elif mime == "application/pdf":
        if b"%%EOF" not in data[-2048:]:
            raise Rejected("damaged")


def check_content(data, mime):
    """Refuse (Rejected) `data` unless its content is of the accepted type `mime`, whole."""
    found = content_type(data[:8192])
    if found is None:
        raise Rejected("type")
    if found != mime:
        raise Rejected("mismatch")
    _check_whole(data, mime)


def _read_bounded(stream, max_bytes):
    """The upload's bytes, read a chunk at a time; Rejected('too_large') past `max_bytes`."""
    chunks, size = [], 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise Rejected("too_large")
        chunks.append(chunk)
    return b"".join(chunks)


def save_upload(upload, max_bytes):
    """Check an uploaded file in memory, lock it under a new key and keep it. Returns `Stored`, or raises
    `Rejected`."""
    filename = clean_filename(upload.filename)
    data = _read_bounded(upload.stream, max_bytes)
    if not data:
        raise Rejected("empty")
    mime = content_type(data[:8192])
    if mime is None:
        raise Rejected("type")
    claimed = claimed_type(filename, (upload.mimetype or "").lower())
    if claimed and family(claimed) != family(mime) or is_active_name(filename):
        raise Rejected("mismatch")
    _check_whole(data, mime)
    key = keys.new_secret()
    try:
        blob, _ = files().put_bytes(keys.lock_bytes(key, data))
    except OSError as error:
        if store.is_full(error):
            raise Rejected("no_space")  # the store removed its partial file
        raise
    return Stored(blob, hashlib.sha256(data).hexdigest(), keys.b64(key), filename, mime, len(data))


def read_file(blob, key, sha256):
    """The bytes of a stored evidence file, opened with its `key` (base64) and checked against both its
    stored hash and its own `sha256`: Damaged when either does not match, FileNotFoundError when absent."""
    try:
        locked = files().read(blob)
        data = keys.unlock_bytes(keys.unb64(key), locked)
    except (store.Mismatch, keys.Locked):
        raise Damaged(blob)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise Damaged(blob)
    return data


def is_referenced(blob):
    """Whether a stored report or any draft still refers to this stored file."""
    if Evidence.select().where(Evidence.blob == blob).exists():
        return True
    return Draft.select().where(pw.fn.instr(Draft.files, blob) > 0).exists()


def remove_unreferenced(hashes):
    """Delete the files among `hashes` that nothing refers to any more."""
    evidence = files()
    for sha256 in set(hashes):
        if store.is_sha256(sha256) and not is_referenced(sha256):
            evidence.remove(sha256)
