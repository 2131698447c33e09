"""Nightly replication to the provincial hub: the office pushes signed batches of changed rows
(`client`), the hub verifies and upserts them (`hub`, `ingest`), both sides keep their bookkeeping in
`models`. Backups live in `kiosk.backup`."""


def init_app(app):
    """On the hub, serve the ingest API at /api/sync/ (authenticated by HMAC, so exempt from CSRF)."""
    if app.config["ROLE"] != "hub":
        return
    from .. import csrf
    from .hub import bp

    csrf.exempt(bp)
    app.register_blueprint(bp)
