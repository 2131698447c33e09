"""Nightly replication to the provincial hub: the office pushes signed batches of changed rows
(`client`), the hub verifies and upserts them (`api`, `ingest`), both sides keep their bookkeeping in
`models`. Backups live in `kiosk.backup`."""


def init_app(app):
    """The sync's commands; on the hub, the ingest API at /api/sync/ (authenticated by its signatures,
    so exempt from CSRF)."""
    from .commands import COMMANDS

    for command in COMMANDS:
        app.cli.add_command(command)
    if app.config["ROLE"] != "hub":
        return
    from ..extensions import csrf
    from .api import bp

    csrf.exempt(bp)
    app.register_blueprint(bp)
