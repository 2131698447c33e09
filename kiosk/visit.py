"""A person's visit: what the session holds of them, and how it ends. Features register what is theirs:
what ends with a visit (`on_end`: the citizen's draft) and what a phone keeps after one (`keep_on_a_phone`:
the account of staff who typed in a walk-in's paper report)."""
from flask import session

from . import display, i18n

# A person's own needs, kept across a sign-in, a sign-out and the end of a visit on their phone.
PREFERENCES = (i18n.SESSION_KEY, *display.SESSION_KEYS)
KIOSK_KEY = "kiosk"
_kept_on_a_phone = set(PREFERENCES)
_on_end = []


def keep_on_a_phone(key):
    """Keep session[key] when a visit ends on a phone (never on a kiosk: the next person starts afresh)."""
    _kept_on_a_phone.add(key)


def on_end(function):
    """Call `function()` whenever a visit ends (register it once, at import)."""
    _on_end.append(function)
    return function


def clear_session(keep=PREFERENCES):
    """Empty the session but for the keys in `keep`."""
    kept = {key: session[key] for key in keep if key in session}
    session.clear()
    session.update(kept)


def is_kiosk():
    """Whether this browser is the office's kiosk (set at /kiosk from a kiosk machine)."""
    return bool(session.get(KIOSK_KEY))


def become_kiosk(kiosk=True):
    """Mark this browser as the office's kiosk (for as long as it runs: the launcher starts it afresh); or not."""
    if kiosk:
        session[KIOSK_KEY] = True
    else:
        session.pop(KIOSK_KEY, None)


def end_visit():
    """Forget this visit: what the features registered, then the session. A kiosk forgets everything else
    too (the next person starts afresh) and stays a kiosk; a phone keeps its language and display."""
    for function in _on_end:
        function()
    kiosk = is_kiosk()
    clear_session(keep=() if kiosk else _kept_on_a_phone)
    if kiosk:
        become_kiosk()
