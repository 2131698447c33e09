"""Several evidence files in one request (POST /api/sync/evidence): one signature, one request id and one
round trip for up to BUNDLE_FILES files, not one each. A bundle is its list of files as JSON on the first line,
`[[sha256, size], ...]`, then their bytes one after the other. Per file, a PUT cost the hub 8-10 ms, most of
it the request itself and not the file (bench/sync.py, profiled)."""
import json

from ..store import is_sha256
from .signing import Refused

BUNDLE_FILES = 16  # files an office puts in one bundle
BUNDLE_BYTES = 4 * 1024 * 1024  # bytes of files an office puts in one bundle; a larger file goes alone
HEAD_LIMIT = 64 * 1024  # the list of files, far above 16 entries of 80 characters


def pack(files):
    """The body of a bundle of `files`, [(sha256, bytes)]."""
    head = json.dumps([[sha256, len(data)] for sha256, data in files], separators=(",", ":")).encode()
    return b"".join([head, b"\n", *(data for _, data in files)])


def unpack(body):
    """[(sha256, the file's bytes as a memoryview of `body`)] of a bundle from the network; Refused(400) unless
    it lists 1 to BUNDLE_FILES hashes with their sizes and carries exactly those bytes."""
    end = body.find(b"\n", 0, HEAD_LIMIT)
    try:
        listed = json.loads(body[:end]) if end > 0 else None
    except (UnicodeDecodeError, ValueError):
        listed = None
    if not (isinstance(listed, list) and 0 < len(listed) <= BUNDLE_FILES
            and all(isinstance(item, list) and len(item) == 2 and is_sha256(item[0])
                    and type(item[1]) is int and item[1] > 0 for item in listed)):
        raise Refused(400, f"a bundle begins with its list of 1 to {BUNDLE_FILES} files as [sha256, size] on one line")
    rest = memoryview(body)[end + 1:]
    if sum(size for _, size in listed) != len(rest):
        raise Refused(400, "the bundle's bytes are not the sizes it lists")
    files, at = [], 0
    for sha256, size in listed:
        files.append((sha256, rest[at:at + size]))
        at += size
    return files
