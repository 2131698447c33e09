"""The evidence files an office sends the hub, a few at a time while its rows still go (kiosk.sync.client)."""
import concurrent.futures
import threading

from ..store import Mismatch
from .bundles import BUNDLE_BYTES, BUNDLE_FILES, pack


class Uploader:
    """Evidence files sent to the hub `workers` at a time while the rows go on, each worker over a kept-alive
    connection of its own: in bundles of a few files (kiosk.sync.bundles) to a hub that takes them, else one
    PUT a file. Only names that are hashes are read: the lists come from the network. The first upload that
    fails stops those not yet begun; a later sync sends only what the hub still lacks."""

    def __init__(self, hub, evidence, workers, tally):
        self.hub, self.evidence, self.tally = hub, evidence, tally
        self.pool = concurrent.futures.ThreadPoolExecutor(max(1, workers), thread_name_prefix="upload")
        self.local, self.clients, self.queued, self.futures = threading.local(), [], set(), []
        self.unsendable, self.failed = [], threading.Event()

    def send(self, hashes, bundled=False):
        """Queue the files `hashes` not queued yet, in bundles when `bundled` (the hub said it takes them)."""
        fresh = [sha256 for sha256 in dict.fromkeys(hashes) if sha256 not in self.queued]
        self.queued.update(fresh)
        step = BUNDLE_FILES if bundled else 1
        for start in range(0, len(fresh), step):
            self.futures.append(self.pool.submit(self._upload, fresh[start:start + step], bundled))

    def _client(self):
        if not hasattr(self.local, "hub"):
            self.local.hub = self.hub.twin()
            self.clients.append(self.local.hub)
        return self.local.hub

    def _read(self, sha256):
        """The bytes of the file `sha256`, or None (noted as unsendable) when it cannot be sent."""
        try:
            return self.evidence.read(sha256)
        except (ValueError, OSError, Mismatch):  # not a hash; missing; damaged (the hub would refuse it)
            self.unsendable.append(sha256)
            return None

    def _upload(self, hashes, bundled):
        """Send the files `hashes`: as bundles of at most BUNDLE_BYTES (a larger file alone), or each PUT."""
        files, size = [], 0
        for sha256 in hashes:
            if self.failed.is_set():
                return
            data = self._read(sha256)
            if data is None:
                continue
            if files and size + len(data) > BUNDLE_BYTES:
                self._send(files, bundled)
                files, size = [], 0
            files.append((sha256, data))
            size += len(data)
        if files and not self.failed.is_set():
            self._send(files, bundled)

    def _send(self, files, bundled):
        hub = self._client()
        headers = {"Content-Type": "application/octet-stream"}
        try:
            if bundled:
                hub.call("POST", "evidence", pack(files), headers)
            else:
                (sha256, data), = files
                hub.call("PUT", f"evidence/{sha256}", data, headers)
        except BaseException:
            self.failed.set()
            raise
        hub.tally.files += len(files)
        hub.tally.file_bytes += sum(len(data) for _, data in files)

    def finish(self):
        """Wait for every queued upload; the hashes this office cannot send. SyncError from the first that
        failed."""
        try:
            for future in self.futures:
                future.result()
        finally:
            self.close()
        return sorted(self.unsendable)

    def close(self):
        """Stop: uploads not begun are dropped, those under way end; the workers' costs join the tally."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        for client in self.clients:
            client.close()
            self.tally.add(client.tally)
        self.clients.clear()
