"""What a citizen may send by SMS and what the office answers. A message starts with a keyword: LAPOR
(REPORT) and what happened, where and when; STATUS, CEK (CHECK) and a tracking code; STOP (BERHENTI) to end
the notices. Anything else gets a short help. The answer is in the sender's language: English when the
keyword was English, Indonesian otherwise; every answer fits one SMS (160 GSM-7 characters, or 70 when it
needs UCS-2)."""
import re
from types import SimpleNamespace

from kiosk.i18n import lazy_gettext as _l

KEYWORDS = {
    "LAPOR": ("lapor", "id"), "REPORT": ("lapor", "en"),
    "STATUS": ("status", "id"), "CEK": ("status", "id"), "CHECK": ("status", "en"),
    "STOP": ("stop", "id"), "BERHENTI": ("stop", "id"), "UNSUBSCRIBE": ("stop", "en"),
    "INFO": ("help", "id"), "BANTUAN": ("help", "id"), "HELP": ("help", "en"),
}
LEADING = re.compile(r"^\W*([A-Za-z]+)(?:[\s#:.,;*-]+|$)(.*)$", re.S)

# GSM 03.38: the default alphabet, and the extension table whose characters take two septets.
GSM_BASIC = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXTENDED = set("^{}\\[~]|€\f")
GSM_LIMIT, UCS2_LIMIT = 160, 70

REPLIES = {
    "lapor": [
        _l("Info received, code %(code)s. Check: SMS STATUS + code, or %(url)s. Formal report: at the office or "
           "web. STOP: no more SMS."),
        _l("Info received, code %(code)s. Check: SMS STATUS + code. Formal report: at the office. STOP: no more SMS."),
    ],
    "status": [_l("%(code)s: %(label)s since %(date)s. %(meaning)s"), _l("%(code)s: %(label)s since %(date)s.")],
    "bad_code": [_l("That tracking code is not right: check the code (16 digits on your receipt) and send it again.")],
    "unknown_code": [_l("No report has that tracking code: check the code (16 digits on your receipt).")],
    "help": [_l("Bawaslu report corner: send LAPOR + what happened, where and when; or STATUS + your tracking code. "
                "A formal report: at the office.")],
    "too_many": [_l("You have sent %(count)d reports by SMS today, the most we take. Come to the office or use the "
                    "web form.")],
    "stopped": [_l("SMS notices have stopped. Your reports go on: check them with STATUS + code.")],
}


def read(text):
    """What a message asks: a namespace of `action` ('lapor', 'status', 'stop', 'help' or 'other'),
    `language` ('id' or 'en') and `rest` (the text after the keyword)."""
    text = (text or "").strip()
    match = LEADING.match(text)
    if match and match.group(1).upper() in KEYWORDS:
        action, language = KEYWORDS[match.group(1).upper()]
        return SimpleNamespace(action=action, language=language, rest=match.group(2).strip())
    return SimpleNamespace(action="other", language="id", rest=text)


def is_gsm(text):
    """Whether `text` can go in GSM-7 (else it goes as UCS-2)."""
    return all(char in GSM_BASIC or char in GSM_EXTENDED for char in text)


def sms_length(text):
    """(length, limit of one SMS) of `text`: septets against 160, or UTF-16 units against 70."""
    if is_gsm(text):
        return sum(2 if char in GSM_EXTENDED else 1 for char in text), GSM_LIMIT
    return len(text.encode("utf-16-le")) // 2, UCS2_LIMIT


def fits(text):
    """Whether `text` goes in one SMS."""
    length, limit = sms_length(text)
    return length <= limit


def cut(text):
    """`text` cut to one SMS (at a word, with dots) when it is longer."""
    if fits(text):
        return text
    words = text.split(" ")
    while words and not fits(" ".join(words) + "..."):
        words.pop()
    return (" ".join(words) + "...") if words else text[:UCS2_LIMIT - 3] + "..."


PLAIN = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "\u00a0": " "})


def plain(text):
    """`text` with typographic quotes and dashes made plain, so that it stays in GSM-7 (160, not 70)."""
    return str(text or "").translate(PLAIN)


def reply(kind, **values):
    """The answer `kind` in the current language: the first of its wordings that fits one SMS, else the
    shortest one cut to fit."""
    wordings = [plain(str(wording) % values if values else wording) for wording in REPLIES[kind]]
    return next((text for text in wordings if fits(text)), cut(wordings[-1]))


def first_fitting(*texts):
    """The first of `texts` that fits one SMS, else the last cut to fit."""
    return next((text for text in texts if fits(text)), cut(texts[-1]))
