"""gammu-smsd's files backend (gammu-smsd-files(7)). A received message part is a file
IN<date>_<time>_<serial>_<sender>_<part>.txt in the inbox, UTF-16 with a byte-order mark when
InboxFormat=unicode (the default) or the system's charset (UTF-8) when 'standard'; 8-bit parts end in
.bin. gammu-smsd writes the parts of a concatenated message one after another with the first part's
serial, so a message is part 00 and the parts that follow it from the same sender and serial. A file we
put in the outbox as OUT<priority><date>_<time>_<serial>_<recipient>_<note>.txt is sent; with a BOM it
is read as Unicode whatever the daemon's locale. gammu-smsd writes its inbox files in place (not
atomically), so a file is read only once it is SETTLE_SECONDS old."""
import datetime as dt
import itertools
import os
import re
import secrets
import time
from pathlib import Path
from types import SimpleNamespace

INBOX_NAME = re.compile(r"^IN(\d{8})_(\d{6})_(\d{2})_(.*)_(\d{2})\.(txt|bin)$")
SETTLE_SECONDS = 2  # gammu-smsd writes a part in one go: two seconds after, the file is whole
PARTS_WITHIN = dt.timedelta(minutes=10)  # gammu-smsd's MultipartTimeout: parts of one message come together
MAX_PART_BYTES = 1024  # a part holds at most 160 characters (320 bytes in UTF-16): anything larger is not gammu's
MAX_PARTS = 10


def parse_name(name):
    """The fields of an inbox file name (received: naive local time, serial, sender, part, binary), or None."""
    match = INBOX_NAME.match(name)
    if not match:
        return None
    day, clock, serial, sender, part, ext = match.groups()
    try:
        received = dt.datetime.strptime(day + clock, "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return SimpleNamespace(name=name, received=received, serial=serial, sender=sender, part=int(part),
                           binary=ext == "bin")


def decode(data):
    """The text of an inbox part: UTF-16 by its byte-order mark, else UTF-8 (gammu's 'standard' format)."""
    if data[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8", errors="replace")


def waiting(inbox, settle=SETTLE_SECONDS, now=None):
    """The messages waiting in `inbox`, oldest first: each a namespace of its `files` (paths, parts in
    order), `first` (the first part's parsed name) and `text` (the parts joined). Files too young to be
    whole, and files that are not gammu-smsd's, are left where they are."""
    now = time.time() if now is None else now
    parts = []
    with os.scandir(inbox) as entries:
        for entry in entries:
            parsed = parse_name(entry.name)
            if parsed is None or not entry.is_file(follow_symlinks=False):
                continue
            stat = entry.stat(follow_symlinks=False)
            if now - stat.st_mtime < settle:
                continue
            parsed.path, parsed.size = Path(entry.path), stat.st_size
            parts.append(parsed)
    parts.sort(key=lambda p: (p.sender, p.serial, p.received, p.part, p.name))
    messages = []
    for part in parts:
        last = messages[-1] if messages else None
        if (last and part.part and part.sender == last.first.sender and part.serial == last.first.serial
                and part.part == last.parts[-1].part + 1 and len(last.parts) < MAX_PARTS
                and part.received - last.first.received <= PARTS_WITHIN):
            last.parts.append(part)
        else:
            messages.append(SimpleNamespace(first=part, parts=[part]))
    read = []
    for message in messages:
        message.files = [part.path for part in message.parts]
        message.binary = any(part.binary for part in message.parts)
        try:
            message.text = "" if message.binary else "".join(decode(head(path)) for path in message.files)
        except FileNotFoundError:  # taken meanwhile by another reader (`kiosk sms` beside `kiosk serve`)
            continue
        read.append(message)
    read.sort(key=lambda m: (m.first.received, m.first.name))
    return read


def head(path):
    """The first MAX_PART_BYTES of a part's file: all of a real part, and no more of anything else."""
    with open(path, "rb") as handle:
        return handle.read(MAX_PART_BYTES)


_serials = itertools.count()


def outbox_name(recipient, now=None, priority="B"):
    """A name gammu-smsd sends from: OUT<priority><date>_<time>_<serial>_<recipient>_<note>.txt. gammu-smsd sends
    in the names' order, so the serial counts up (00-99, then round again): of two messages queued in one second,
    a receipt and the reply after it, the first queued goes first. The random note keeps two names apart
    whatever the serial; A is the highest priority."""
    now = now or dt.datetime.now()
    return f"OUT{priority}{now:%Y%m%d_%H%M%S}_{next(_serials) % 100:02d}_{recipient}_{secrets.token_hex(4)}.txt"


def queue(outbox, recipient, text, priority="B"):
    """Put `text` for `recipient` in gammu-smsd's outbox: written whole under a hidden name (gammu-smsd
    skips names starting with a dot), flushed, then renamed, so the daemon never reads half a message."""
    outbox = Path(outbox)
    name = outbox_name(recipient, priority=priority)
    hidden = outbox / f".{name}.part"
    with open(hidden, "wb") as handle:
        handle.write(text.encode("utf-16"))  # with its byte-order mark: gammu-smsd then reads it as Unicode
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(hidden, outbox / name)
    return name
