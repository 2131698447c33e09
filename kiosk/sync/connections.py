"""How the office reaches the hub: connections with a read timeout of their own, and how long to wait and retry."""
import http.client
import random


class ReadTimeout:
    """A connection that waits `connect` seconds for the hub to accept it (the TLS handshake included), then
    `read` seconds for each read of an answer (http.client has one timeout for both)."""

    def __init__(self, netloc, connect, read):
        super().__init__(netloc, timeout=connect)
        self.read_timeout = read

    def connect(self):
        super().connect()
        self.sock.settimeout(self.read_timeout)


class Connection(ReadTimeout, http.client.HTTPConnection):
    """Plain http (to this machine only)."""


class TLSConnection(ReadTimeout, http.client.HTTPSConnection):
    """https."""


class Timeouts:
    """How long to wait for the hub: to connect, then for each answer (each read of it, so a slow line that
    keeps sending never times out), and how often to try again, waiting twice as long each time."""

    def __init__(self, config):
        self.connect, self.read = config["SYNC_CONNECT_TIMEOUT"], config["SYNC_TIMEOUT"]
        self.retries, self.backoff = config["SYNC_RETRIES"], config["SYNC_BACKOFF"]

    def pause(self, attempt):
        """Seconds to wait before try number `attempt` + 1 (1, 2, …), with a little jitter."""
        return self.backoff * 2 ** (attempt - 1) * random.uniform(0.8, 1.2)
