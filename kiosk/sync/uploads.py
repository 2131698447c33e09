"""The evidence files an office sends the hub, a few at a time while its rows still go (kiosk.sync.client)."""
import concurrent.futures
import threading

from ..store import Mismatch


class Uploader:
    """Evidence files sent to the hub `workers` at a time while the rows go on, each worker over a kept-alive
    connection of its own. Only names that are hashes are read: the lists come from the network. The first
    upload that fails stops those not yet begun; a later sync sends only what the hub still lacks."""

    def __init__(self, hub, evidence, workers, tally):
        self.hub, self.evidence, self.tally = hub, evidence, tally
        self.pool = concurrent.futures.ThreadPoolExecutor(max(1, workers), thread_name_prefix="upload")
        self.local, self.clients, self.queued, self.futures = threading.local(), [], set(), []
        self.unsendable, self.failed = [], threading.Event()

    def send(self, hashes):
        """Queue the files `hashes` not queued yet."""
        for sha256 in hashes:
            if sha256 not in self.queued:
                self.queued.add(sha256)
                self.futures.append(self.pool.submit(self._upload, sha256))

    def _client(self):
        if not hasattr(self.local, "hub"):
            self.local.hub = self.hub.twin()
            self.clients.append(self.local.hub)
        return self.local.hub

    def _upload(self, sha256):
        if self.failed.is_set():
            return
        try:
            data = self.evidence.read(sha256)
        except (ValueError, OSError, Mismatch):  # not a hash; missing; damaged (the hub would refuse it)
            self.unsendable.append(sha256)
            return
        hub = self._client()
        try:
            hub.call("PUT", f"evidence/{sha256}", data, {"Content-Type": "application/octet-stream"})
        except BaseException:
            self.failed.set()
            raise
        hub.tally.files += 1
        hub.tally.file_bytes += len(data)

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
