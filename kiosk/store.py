"""Files kept under their SHA-256: the office's evidence folder, the backup store's copies and the hub's.
One way to write them durably (a temporary file, flushed, renamed into place, the folder flushed, nothing
left behind on error), to copy them between stores (checked on the way), to check them (a file read for a
person is hashed once per process, and again whenever its size or modification time changes) and to set a
damaged one aside."""
import datetime as dt
import errno
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

CHUNK = 1024 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}")
PARTIAL = ".part-"  # the prefix of a file being written; never a hash, so never listed or served
# The disk (or the user's quota, or the largest file allowed) has no room: the person is told so plainly.
FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
# Files whose bytes matched their name when this process last hashed them: {path: (size, mtime_ns)}. A file
# rewritten in place changes one or the other, so it is hashed again; an evidence file's own lock (an
# authenticated cipher, kiosk.keys) still catches a bit that flips under an unchanged mtime.
_verified = {}
VERIFIED_KEPT = 200_000  # entries (about 40 MB at most); past that the memory starts again


class Mismatch(Exception):
    """Bytes that do not hash to the name they were to be stored under (`expected`)."""

    def __init__(self, message, expected=None):
        super().__init__(message)
        self.expected = expected


def is_sha256(text):
    """Whether `text` is a SHA-256 as the store names files: 64 lowercase hex digits."""
    return isinstance(text, str) and SHA256.fullmatch(text) is not None


def is_full(error):
    """Whether the OSError `error` says that there is no room."""
    return isinstance(error, OSError) and error.errno in FULL_ERRNOS


def fsync(path):
    """Flush a file (or a folder, so that a new name in it survives a power cut) to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def private_folder(path):
    """The folder at `path`, made if needed, readable by this account only (0700 whatever the umask)."""
    path = Path(path)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def chunks_of(path):
    """The bytes of the file at `path`, a chunk at a time."""
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def file_sha256(path):
    """The SHA-256 of the file at `path`."""
    digest = hashlib.sha256()
    for chunk in chunks_of(path):
        digest.update(chunk)
    return digest.hexdigest()


class FileStore:
    """A folder of files each named by the SHA-256 of its bytes."""

    def __init__(self, folder):
        self.folder = private_folder(folder)

    def path(self, sha256):
        """Where the file with this hash lives. Anything but a hash is refused (ValueError): joined to the
        folder, '../kiosk.sqlite3' or '/etc/passwd' would name a file outside it."""
        if not is_sha256(sha256):
            raise ValueError("not a SHA-256")
        return self.folder / sha256

    def has(self, sha256):
        """Whether the store holds a file of that name."""
        return is_sha256(sha256) and self.path(sha256).is_file()

    def hashes(self):
        """The names of every file held."""
        return sorted(path.name for path in self.folder.iterdir() if is_sha256(path.name))

    def put(self, chunks, expected=None, check=None):
        """Store the bytes of `chunks` (an iterable of bytes) under their SHA-256, durably; returns
        (sha256, size). With `expected`, bytes hashing to anything else raise Mismatch. `check(path)`,
        given, may refuse the written file (by raising) before it takes its name. Whatever goes wrong,
        no partial file is left behind."""
        sha256, size, named = self._put(chunks, expected, check)
        if named:
            fsync(self.folder)  # the new name survives a power cut, as the row naming it will
        return sha256, size

    def put_all(self, files):
        """Store `files` ([(sha256, bytes)]) as `put` does, each checked against its name, with one flush of
        the folder for all their new names (a bundle of 16 files cost 16); Mismatch at the first that does not
        match, the files before it kept."""
        named = False
        try:
            for sha256, data in files:
                named = self._put([data], sha256, None)[2] or named
        finally:
            if named:
                fsync(self.folder)

    def _put(self, chunks, expected, check):
        """`put` but for flushing the folder: (sha256, size, whether a new name was made)."""
        fd, temp = tempfile.mkstemp(dir=self.folder, prefix=PARTIAL)  # mode 0600
        try:
            digest, size = hashlib.sha256(), 0
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())  # on the disk before anything says it is kept
            sha256 = digest.hexdigest()
            if expected is not None and sha256 != expected:
                raise Mismatch(f"the bytes hash to {sha256}, not {expected}", expected)
            if check is not None:
                check(Path(temp))
            final = self.path(sha256)
            if final.exists():
                os.unlink(temp)
                return sha256, size, False
            os.replace(temp, final)
            return sha256, size, True
        except BaseException:
            if os.path.exists(temp):
                os.unlink(temp)
            raise

    def put_bytes(self, data, expected=None):
        """Store `data` (bytes); see `put`."""
        return self.put([data], expected)

    def copy_from(self, other, sha256):
        """Copy the file `sha256` from the store `other`, only if its bytes still match the name; returns
        whether this store holds a good copy now (False: missing or damaged in `other`)."""
        if self.has(sha256):
            return True
        try:
            self.put(chunks_of(other.path(sha256)), expected=sha256)
        except (Mismatch, FileNotFoundError):
            return False
        return True

    def read(self, sha256):
        """The file's bytes, checked against its name (once per process while its size and mtime stay the
        same): Mismatch when damaged, FileNotFoundError when absent."""
        path = self.path(sha256)
        with open(path, "rb") as handle:
            data = handle.read()
            stat = os.fstat(handle.fileno())
        seen, key = (stat.st_size, stat.st_mtime_ns), str(path)
        if _verified.get(key) != seen:
            if hashlib.sha256(data).hexdigest() != sha256:
                _verified.pop(key, None)
                raise Mismatch(f"{sha256} is damaged")
            if len(_verified) >= VERIFIED_KEPT:
                _verified.clear()
            _verified[key] = seen
        return data

    def is_intact(self, sha256):
        """Whether the file is held and its bytes still hash to its name."""
        return self.has(sha256) and file_sha256(self.path(sha256)) == sha256

    def set_aside(self, sha256, folder):
        """Move the (damaged) file out of the store into `folder`, never overwriting an earlier one there;
        returns where it went, or None when it was not held. Evidence is proof: even damaged, it is kept."""
        source = self.path(sha256)
        if not source.is_file():
            return None
        target = private_folder(folder) / f"{sha256}.{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S%fZ}"
        shutil.move(source, target)  # a rename, unless DATA_DIR/damaged is on another disk
        _verified.pop(str(source), None)
        fsync(self.folder)
        return target

    def remove(self, sha256):
        """Delete the file, if held."""
        self.path(sha256).unlink(missing_ok=True)

    def clean_partials(self):
        """Delete what a crash or a full disk left half-written; returns how many."""
        partials = [path for path in self.folder.iterdir() if path.name.startswith(PARTIAL)]
        for path in partials:
            path.unlink(missing_ok=True)
        return len(partials)


def evidence_store(config):
    """The office's (or the hub's) evidence files, in DATA_DIR/evidence."""
    return FileStore(config["EVIDENCE_DIR"])


def damaged_folder(config):
    """Where damaged files are set aside: DATA_DIR/damaged (outside every store)."""
    return Path(config["DATA_DIR"]) / "damaged"


def backup_store(config):
    """The backup store's copies of the evidence files, in DATA_DIR/backups/evidence."""
    return FileStore(Path(config["DATA_DIR"]) / "backups" / "evidence")
