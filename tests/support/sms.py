"""gammu-smsd's files backend as tests meet it: inbox files written as gammu-smsd writes them
(IN<date>_<time>_<serial>_<sender>_<part>.txt, UTF-16 big-endian with a byte-order mark, InboxFormat=unicode),
and the outbox read back the way gammu-smsd reads it (OUT...<recipient>_<note>.txt, Unicode by its mark)."""
import datetime as dt
import os
import re
import time
from pathlib import Path

from kiosk import tracking

OUT_NAME = re.compile(r"^OUT[A-Z]\d{8}_\d{6}_\d{2}_(.+)_[^_]+\.txt$")


def deliver(inbox, sender, text, serial=0, part=0, when=None, encoding="unicode"):
    """Write one received part as gammu-smsd does, old enough to be read; its path."""
    when = when or dt.datetime(2026, 11, 20, 9, 15, 30)
    name = f"IN{when:%Y%m%d}_{when:%H%M%S}_{serial:02d}_{sender}_{part:02d}.txt"
    data = b"\xfe\xff" + text.encode("utf-16-be") if encoding == "unicode" else text.encode("utf-8")
    path = Path(inbox) / name
    path.write_bytes(data)
    old = time.time() - 60
    os.utime(path, (old, old))
    return path


def sent(outbox):
    """The SMS waiting in the outbox, oldest name first: (recipient, text)."""
    result = []
    for path in sorted(Path(outbox).iterdir()):
        match = OUT_NAME.match(path.name)
        assert match, f"not a name gammu-smsd sends from: {path.name}"
        data = path.read_bytes()
        assert data[:2] in (b"\xff\xfe", b"\xfe\xff"), "no byte-order mark: gammu-smsd would guess the charset"
        result.append((match.group(1), data.decode("utf-16")))
    return result


def code_in(text):
    """The 16-digit tracking code written in groups of four in `text`, or None."""
    match = re.search(r"\b(\d{4} \d{4} \d{4} \d{4})\b", text)
    return tracking.digits_of(match.group(1)) if match else None


def one_sms(text):
    """Whether `text` goes in one SMS: plain ASCII (all in GSM-7; ^{}[]~|\\ take two septets) within 160,
    or anything within 70 UTF-16 units (UCS-2)."""
    if text.isascii() and "`" not in text:
        return len(text) + sum(text.count(char) for char in "^{}[]~|\\") <= 160
    return len(text.encode("utf-16-le")) // 2 <= 70


def waiting_message(text="Tolong, di TPS kami ada yang aneh", number="+6281311112222", office="36.73"):
    """An SMS in the staff's inbox, as `kiosk sms` leaves one it could not read as a keyword (app context)."""
    from kiosk.notify import addresses
    from kiosk.sms import inbox, numbers
    from kiosk.sms.models import SmsMessage

    return SmsMessage.create(file_key=f"test-{number}-{text}", number_hash=numbers.hashed(number),
                             number=addresses.seal(number), number_masked=numbers.masked(number),
                             text=inbox.seal_text(text, office), kind="other", state="open")


def blocked_number(number="+6281399998888"):
    """A number on the staff's blocklist (app context)."""
    from kiosk.sms import numbers
    from kiosk.sms.models import SmsBlock

    return SmsBlock.create(number_hash=numbers.hashed(number), number_masked=numbers.masked(number), by="admin")
