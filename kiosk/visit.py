"""A person's visit: everything the session holds of them, and how it ends."""
from flask import session

from .lapor import drafts

# What a phone keeps after its visit ends: the same person's language and display needs, and the
# account of staff who typed in a walk-in's paper report (kiosk.staff).
KEPT_ON_A_PHONE = ("lang", "text", "contrast", "staff")


def end_visit():
    """Forget this visit: the draft and its files and the receipt. A kiosk forgets everything else
    too (the next person starts afresh) and stays a kiosk; a phone keeps its language and display."""
    drafts.forget()
    kiosk = session.get("kiosk")
    kept = {} if kiosk else {key: session[key] for key in KEPT_ON_A_PHONE if key in session}
    session.clear()
    session.update(kept)
    if kiosk:
        session["kiosk"] = True
        session.permanent = True
