"""Sealing what an office (or the hub) held readable before personal data was sealed (schema 9), once, by
`kiosk init-keys`: a verified backup first; then in one transaction every report's personal fields, its
witnesses and its evidence files are sealed (each file locked anew, the readable one removed) and the
readable columns dropped, with SQLite's secure_delete on so that freed pages are overwritten; then VACUUM
and a WAL checkpoint, so that no page of the database file keeps the readable data; a check that every
report opens with the new key; a new backup; and the older backups, which hold readable data, removed."""
import json
import sqlite3
from importlib import import_module

from . import keys, sealing
from .backup import backup_folder, backups, make_backup, prune_evidence
from .db import db, schema_runner
from .keyring import Keyring
from .models import Counter, Evidence, Report
from .store import evidence_store, is_sha256

SCHEMA_9 = import_module("kiosk.migrations.0009_sealed")  # the migration that left the readable columns
READABLE = SCHEMA_9.READABLE


def has_readable():
    """Whether the database still has the readable columns of before schema 9 (with rows in them)."""
    columns = {row[1] for row in db.execute_sql("PRAGMA table_info(report)").fetchall()}
    return "reporter_name" in columns


def _rows(table, columns):
    """The rows of `table` as dicts of id, report (for children) and the readable `columns`."""
    names = ["id"] + (["report_id"] if table != "report" else []) + list(columns)
    cursor = db.execute_sql(f"SELECT {', '.join(names)} FROM {table}")
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _seal_files(config, report_keys):
    """Lock every readable evidence file under a key of its own; returns {(evidence id): (blob, personal)}."""
    store = evidence_store(config)
    sealed, by_file = {}, {}
    for row in _rows("evidence", READABLE["evidence"]):
        plain = row["sha256"]
        if plain not in by_file:
            key = keys.new_secret()
            blob = ""
            path = store.folder / plain if is_sha256(plain) else None
            if path and path.is_file():
                blob, _ = store.put_bytes(keys.lock_bytes(key, path.read_bytes()))
            by_file[plain] = (blob, keys.b64(key))
        blob, key = by_file[plain]
        fields = {"filename": row["filename"], "sha256": plain, "key": key}
        sealed[row["id"]] = (blob, sealing.seal_fields(report_keys[row["report_id"]], fields, sealing.EVIDENCE_FIELDS))
    return sealed, [plain for plain in by_file if is_sha256(plain)]


def _seal_rows(config, public_key, for_hub):
    """Seal every report, witness and evidence row (inside the caller's transaction); returns the readable
    files to remove once the transaction commits."""
    report_keys = {}
    for row in _rows("report", READABLE["report"]):
        key = keys.new_secret()
        report_keys[row["id"]] = key
        values = {name: row[name] or "" for name in READABLE["report"]}
        complete = bool(values["reporter_nik"]) and all(
            str(values[name]).strip() for name in ("reporter_name", "reporter_address", "reporter_phone"))
        sealed_key = keys.seal(public_key, key)
        hub = sealing.hub_key() if not for_hub else ""
        db.execute_sql(
            "UPDATE report SET personal = ?, key_office = ?, key_hub = ?, reporter_nik_masked = ?, "
            "identity_complete = (kind = 'formal' AND ?), indexed = 0, change_seq = ? WHERE id = ?",
            (sealing.seal_fields(key, values, sealing.REPORT_FIELDS), "" if for_hub else sealed_key,
             sealed_key if for_hub else (keys.seal(hub, key) if hub else ""),
             sealing.masked_nik(values["reporter_nik"]), complete, Counter.next("change"), row["id"]))
    for row in _rows("witness", READABLE["witness"]):
        db.execute_sql("UPDATE witness SET personal = ?, change_seq = ? WHERE id = ?",
                       (sealing.seal_fields(report_keys[row["report_id"]], row, sealing.WITNESS_FIELDS),
                        Counter.next("change"), row["id"]))
    files, readable = _seal_files(config, report_keys)
    for evidence_id, (blob, personal) in files.items():
        db.execute_sql("UPDATE evidence SET blob = ?, personal = ?, change_seq = ? WHERE id = ?",
                       (blob, personal, Counter.next("change"), evidence_id))
    return readable


def seal_existing(config, office_code, inside):
    """Give the office its keys and seal everything it held readable (see the module); `inside(private
    key)` runs in the same transaction (to grant the key). Returns (printed recovery key, a one-line summary)."""
    before = make_backup(config, config["BACKUP_KEEP"])  # first: the way back, verified
    db.execute_sql("PRAGMA secure_delete = ON")
    with db.atomic("IMMEDIATE"):
        private, printed = Keyring.create_for(office_code)
        inside(private)
        readable = _seal_rows(config, Keyring.public_key_of(office_code), for_hub=config["ROLE"] == "hub")
        SCHEMA_9.drop_readable(schema_runner().migrator, db)
    store = evidence_store(config)
    for plain in readable:
        store.remove(plain)
    db.execute_sql("VACUUM")
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    unopened = [r.receipt_no for r in Report.select() if not _opens(r, private, config["ROLE"] == "hub")]
    if unopened:
        raise RuntimeError(f"{len(unopened)} reports do not open with the new key (e.g. {unopened[0]}); "
                           f"the backup made first is {before.path}")
    made = make_backup(config, config["BACKUP_KEEP"])
    older = [path for path in backups(backup_folder(config)) if path != made.path]
    for path in older:  # they hold the readable data: the sealed backup just made replaces them
        path.with_name(path.name + ".sha256").unlink(missing_ok=True)
        path.unlink(missing_ok=True)
    pruned = prune_evidence(config, backup_folder(config))
    sealed_files = Evidence.select().where(Evidence.blob != "").count()
    return printed, (f"sealed {Report.select().count():,} reports and {sealed_files:,} evidence files; "
                              f"readable columns dropped, database vacuumed; backup {made.path.name} made, "
                              f"{len(older)} older backups and {pruned:,} readable evidence copies removed")


def _opens(report, private, hub):
    """Whether the report's sealed fields open with the new private key."""
    try:
        key = sealing.report_key(report, private, hub=hub)
        return isinstance(keys.unlock_json(key, report.personal), dict)
    except (sealing.Unreadable, keys.Locked, json.JSONDecodeError, sqlite3.Error):
        return False
