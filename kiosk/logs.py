"""Logging for an office server: timestamps and levels on stderr, and personal data masked on the
way out (lokal-id's Samaran), as a second line of defence behind code that never logs it."""
import logging

from lokal.samaran.logging import SamaranFilter

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure():
    """Give the root logger one stderr handler that masks NIKs, phone numbers, emails and the like."""
    root = logging.getLogger()
    if any(getattr(handler, "_pojok", False) for handler in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(SamaranFilter())
    handler._pojok = True
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("waitress.queue").addFilter(OncePerMinute())


class OncePerMinute(logging.Filter):
    """Let one record through a minute. Waitress warns 'Task queue depth is N' for every request that
    waits for a thread: at a busy hour a line per request (each scanned for personal data, which cost
    2% of the server's time under load), where one a minute says as much."""

    def __init__(self):
        super().__init__()
        self.last = 0.0

    def filter(self, record):
        if record.created - self.last < 60:
            return False
        self.last = record.created
        return True
