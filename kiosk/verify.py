"""`kiosk verify` (run first by `kiosk nightly`): every evidence file at the office or the hub, and every copy
in the backup store, hashed against its name. A damaged file is set aside (DATA_DIR/damaged: proof is never
deleted) and replaced from a good copy: the backup store's, else the hub's by hash over the signed API; at
the hub a damaged file is asked for again at the office's next sync. Each repair is audited (kiosk.integrity);
what cannot be repaired stays listed on /healthz and the staff pages until it is."""
import sys
import time
from dataclasses import dataclass, field

import click
from flask import current_app

from . import health, integrity
from .backup import one_line
from .db import db, writing
from .models import Evidence
from .store import Mismatch, backup_store, damaged_folder, evidence_store, file_sha256, is_sha256
from .sync.client import SyncError, Tally, connect, plural

SOURCES = {"backup": "the backup store", "hub": "the hub", "evidence": "the evidence folder"}


@dataclass
class Verified:
    """What a run checked and did: files and bytes read, repairs by source, what is still damaged."""

    files: int = 0
    bytes: int = 0
    repaired: dict = field(default_factory=dict)
    damaged: list = field(default_factory=list)  # (store, sha256)
    awaiting_office: int = 0
    hub_problem: str = ""
    started: float = field(default_factory=time.monotonic)

    def summary(self):
        """One line for the operator."""
        seconds = max(time.monotonic() - self.started, 1e-6)
        line = (f"{plural(self.files, 'file')} checked ({self.bytes / 1e6:,.1f} MB, {self.files / seconds:,.0f} files/s, "
                f"{self.bytes / 1e6 / seconds:,.0f} MB/s)")
        for source, count in sorted(self.repaired.items()):
            line += f"; {count:,} repaired from {SOURCES[source]}"
        if self.awaiting_office:
            line += f"; {self.awaiting_office:,} set aside, asked for again at the office's next sync"
        if self.damaged:
            named = ", ".join(f"{sha}{' (backup copy)' if where == 'backup' else ''}" for where, sha in self.damaged[:5])
            line += f"; {len(self.damaged):,} damaged or lost and not repaired: {named}"
        if self.hub_problem:
            line += f"; the hub could not help: {self.hub_problem}"
        return line


class Repairer:
    """Good copies to repair from: the backup store, and the hub (connected on first need, offices only)."""

    def __init__(self, config, done):
        self.config, self.done = config, done
        self.copies = backup_store(config)
        self.hub = None

    def from_hub(self, sha256, into):
        """Fetch the hub's copy of `sha256` into the store `into`, checked; whether it worked."""
        if self.config["ROLE"] == "hub" or self.done.hub_problem:
            return False
        try:
            self.hub = self.hub or connect(self.config, Tally())
            data = self.hub.fetch_file(sha256)
            if data is None:
                return False
            into.put_bytes(data, expected=sha256)
        except SyncError as error:
            self.done.hub_problem = one_line(error)  # not asked again in this run
            return False
        except Mismatch:
            return False
        return True

    def close(self):
        """Drop the connection to the hub, if one was made."""
        if self.hub is not None:
            self.hub.close()


def check(store, sha256, done):
    """Whether the store's file `sha256` is held and whole (counted in `done`)."""
    if not store.has(sha256):
        return False
    path = store.path(sha256)
    done.files += 1
    done.bytes += path.stat().st_size
    return file_sha256(path) == sha256


def run(config, progress=None):
    """Check and repair every evidence file and backup copy; returns Verified. `progress(done, total)` is
    called as it goes."""
    code, hub_role = config["OFFICE_CODE"], config["ROLE"] == "hub"
    evidence, copies, aside = evidence_store(config), backup_store(config), damaged_folder(config)
    named = {blob for (blob,) in Evidence.select(Evidence.blob).distinct().tuples() if is_sha256(blob)}
    # At the hub a file not here yet is one the office will send, not a loss.
    names = sorted(set(evidence.hashes()) | (set() if hub_role else named))
    backed = copies.hashes()
    done = Verified()
    repairer = Repairer(config, done)
    still = set()
    try:
        for number, sha256 in enumerate(names, 1):
            if progress:
                progress(number, len(names) + len(backed))
            if check(evidence, sha256, done):
                continue
            missing = evidence.set_aside(sha256, aside) is None
            integrity.found(code, sha256, "evidence", missing=missing)
            if evidence.copy_from(copies, sha256):
                source = "backup"
            elif sha256 in named and repairer.from_hub(sha256, evidence):
                source = "hub"
            else:
                still.add(("evidence", sha256))
                if hub_role and sha256 in named:
                    done.awaiting_office += 1
                else:
                    done.damaged.append(("evidence", sha256))
                continue
            integrity.repaired(code, sha256, "evidence", source)
            done.repaired[source] = done.repaired.get(source, 0) + 1
        for number, sha256 in enumerate(backed, len(names) + 1):
            if progress:
                progress(number, len(names) + len(backed))
            if check(copies, sha256, done):
                continue
            copies.set_aside(sha256, aside)
            integrity.found(code, sha256, "backup")
            if copies.copy_from(evidence, sha256):
                source = "evidence"
            elif repairer.from_hub(sha256, copies):
                source = "hub"
            else:
                still.add(("backup", sha256))
                done.damaged.append(("backup", sha256))
                continue
            integrity.repaired(code, sha256, "backup", source)
            done.repaired[source] = done.repaired.get(source, 0) + 1
    finally:
        repairer.close()
    forget_the_rest(still)
    return done


def forget_the_rest(still):
    """Drop the records of files this run found whole or gone for good (erased with their report)."""
    with writing():
        for row in list(integrity.DamagedFile.select()):
            if (row.store, row.blob) not in still:
                integrity.cleared(row.blob, row.store)


def terminal_progress():
    """A progress line on stderr when it is a terminal (redrawn at most five times a second), else None."""
    if not sys.stderr.isatty():
        return None
    last = [0.0]

    def show(number, total):
        now = time.monotonic()
        if now - last[0] >= 0.2 or number == total:
            last[0] = now
            click.echo(f"\rverify: {number:,}/{total:,} files", nl=number == total, err=True)
    return show


def do_verify(config):
    """Run verify and record its outcome for /healthz; returns Verified."""
    with db.connection_context():
        done = run(config, terminal_progress())
    health.record("verify", f"error: {len(done.damaged)} evidence files damaged" if done.damaged else "ok")
    return done


@click.command("verify")
def verify():
    """Check every evidence file (and backup copy) against its SHA-256; repair damaged ones from a good copy."""
    done = do_verify(current_app.config)
    if done.damaged:
        raise click.ClickException(f"verify: {done.summary()}")
    click.echo(f"verify ok: {done.summary()}")


def init_app(app):
    """Give `app` its `verify` command."""
    app.cli.add_command(verify)
