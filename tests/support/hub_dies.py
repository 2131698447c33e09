"""`kiosk serve` as the hub, except that the process exits (status 75) right after it has committed its
Nth batch with rows (or stored its Nth evidence file, alone or in a bundle) and before it answers: a hub
that dies mid-sync at the worst moment. The tests run it in place of `kiosk serve` (tests.support.servers.DyingHub); nothing of
it is in the app.

    python -m tests.support.hub_dies N [batch|evidence]      # from the repository's root
"""
import os
import sys

from flask import request

from kiosk import cli, create_app


def dying_after(batches, what="batch"):
    """An app factory: the real app, with a hook that ends the process after `batches` batches (or
    evidence files, when `what` is "evidence")."""
    done = []

    def factory():
        app = create_app()

        @app.after_request
        def die_after_committing(response):
            if response.status_code != 200:
                return response
            if what == "evidence" and request.endpoint in ("sync_api.evidence_file", "sync_api.evidence_files"):
                stored = response.json["stored"]  # a hash, or a bundle's list of them
                done.extend(stored if isinstance(stored, list) else [stored])
            elif what == "batch" and request.endpoint == "sync_api.batch" \
                    and (response.json["applied"] or response.json["skipped"]):
                done.append(request.path)
            if len(done) >= batches:
                os._exit(75)
            return response

        return app

    return factory


if __name__ == "__main__":
    cli.main.create_app = dying_after(int(sys.argv[1]), *sys.argv[2:3])
    cli.main(["serve"])
