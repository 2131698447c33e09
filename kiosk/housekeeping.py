"""Jobs that keep the data folder tidy whether or not anyone visits: `kiosk serve` runs them when it starts
and every EVERY_SECONDS after, and `kiosk nightly` runs them too. A feature registers its own (`job`): the
citizen's report discards the drafts left longer than KIOSK_DRAFT_HOURS, with their files."""
import logging
import threading

from .db import db

EVERY_SECONDS = 600
log = logging.getLogger(__name__)
_jobs = []


def job(function):
    """Register `function(config)`, which returns a one-line summary of what it did (register it once, at import)."""
    _jobs.append(function)
    return function


def run_all(config):
    """Run every job on a connection of its own; their summaries. Call inside the app's context."""
    with db.connection_context():
        return [function(config) for function in _jobs]


def start(app, every=EVERY_SECONDS):
    """Run the jobs now, then every `every` seconds, in a daemon thread (it ends with the process); returns
    an Event that stops it."""
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            try:
                with app.app_context():
                    run_all(app.config)
            except Exception:  # a failed round is logged; the next round tries again
                log.exception("housekeeping failed")
            stop.wait(every)

    threading.Thread(target=loop, name="housekeeping", daemon=True).start()
    return stop
