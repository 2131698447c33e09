"""A transfer between offices killed at one step (kiosk.transfers), for tests/test_transfer.py; nothing of it is
in the app. At an office, `kiosk sync` that exits (status 75) right after a step of its transfers has done its
work and before the next; at the hub, `kiosk serve` that exits right after committing a request, unanswered.

    python -m tests.support.transfer_dies office fetched|stored|marked    # in place of `kiosk sync`
    python -m tests.support.transfer_dies hub batch|transfers_ack         # in place of `kiosk serve`
(from the repository's root)."""
import functools
import os
import sys

from flask import request

from kiosk import cli, create_app
from kiosk.sync import receive

STEPS = {"fetched": "fetch_evidence", "stored": "store", "marked": "mark_arrived"}


def die_after(name):
    """Make kiosk.sync.receive's function `name` end the process once it has returned something."""
    original = getattr(receive, name)

    @functools.wraps(original)
    def dying(*args, **kwargs):
        result = original(*args, **kwargs)
        if name == "fetch_evidence" or result:
            os._exit(75)
        return result

    setattr(receive, name, dying)


def hub_dying_after(endpoint):
    """An app factory: the real hub, ending the process after it has committed a request to `endpoint`."""
    def factory():
        app = create_app()

        @app.after_request
        def die_after_committing(response):
            if request.endpoint == f"sync_api.{endpoint}" and response.status_code == 200 and (
                    endpoint != "batch" or response.json["applied"]):
                os._exit(75)
            return response

        return app

    return factory


if __name__ == "__main__":
    side, step = sys.argv[1], sys.argv[2]
    if side == "office":
        die_after(STEPS[step])
        cli.main(["sync"])
    else:
        cli.main.create_app = hub_dying_after(step)
        cli.main(["serve"])
