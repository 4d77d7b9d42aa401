"""Who asks, and how much of the server one of them may take: a shared server stays fair.

A *client* is what the server can tell apart: the address a request comes
from, as the proxy in front says it (deploy/'s nginx sets X-Real-IP; the
header is trusted only when ``PENGUIN_CLIENT_HEADER`` names it, as a browser
could send any), else the connection's own address. Several tabs of one
person are one client; a class behind one school address is one client too,
so the budgets below are sized for a class, and a flood from one address
costs at most them.

Script runs (Streamlit's reruns) are the unit of cost: ``RerunBudget`` lets a
session start ``SESSION_RATE`` a second (bursts of ``SESSION_BURST``) and a
client ``CLIENT_RATE``; a run asked for beyond that waits, and only the
newest waiting request of a session is kept (it carries the newest widget
values), so a flooding session is slowed, never served ahead of others.
``Attempts`` counts rarer things by client (classes started, wrong class codes,
new labs stored) over a window.
"""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterable

CLIENT_HEADER_ENV = "PENGUIN_CLIENT_HEADER"
SESSION_RATE, SESSION_BURST = 5.0, 25.0
"""A learner's runs a second: clicks, typing and the pages' own refreshes (the board's every 0.5 s) fit."""
CLIENT_RATE, CLIENT_BURST = 40.0, 200.0
"""An address's runs a second, in each server process: a class behind one school address fits (a learner in a
class asks every 2.5 s while watching, so 30 of them 12 a second, and all click at once now and then);
behind deploy/'s replicas each replica has its own, and a class spreads over them."""
IDLE_SECONDS = 600.0
"""A bucket untouched this long is forgotten (it is full again by then)."""


def client_address(headers: Iterable[tuple[str, str]], peer: str | None) -> str:
    """The client a request comes from: the proxy's header when one is configured and present, else the
    connection's address ("local" for none)."""
    name = os.environ.get(CLIENT_HEADER_ENV, "").strip().lower()
    if name:
        for key, value in headers:
            if key.lower() == name and value.strip():
                return value.strip()[:64]
    return (peer or "local")[:64]


class Bucket:
    """A token bucket: ``rate`` tokens a second, at most ``burst`` held."""

    def __init__(self, rate: float, burst: float, now: float):
        self.rate, self.burst, self.tokens, self.at = rate, burst, burst, now

    def wait(self, now: float) -> float:
        """Seconds until a token is there (0: one is there now)."""
        self.tokens, self.at = min(self.burst, self.tokens + (now - self.at) * self.rate), now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


class RerunBudget:
    """How many script runs each session and each client may start; see the module's docstring."""

    def __init__(self, session_rate: float = SESSION_RATE, session_burst: float = SESSION_BURST,
                 client_rate: float = CLIENT_RATE, client_burst: float = CLIENT_BURST):
        self.session = (session_rate, session_burst)
        self.client = (client_rate, client_burst)
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self._lock = threading.Lock()
        self._pruned = time.monotonic()

    def ask(self, session: str, client: str, now: float | None = None) -> float:
        """0 when the session may run now (its and its client's tokens taken), else the seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            mine = self._bucket(("session", session), self.session, now)
            theirs = self._bucket(("client", client), self.client, now)
            wait = max(mine.wait(now), theirs.wait(now))
            if wait == 0:
                mine.tokens -= 1
                theirs.tokens -= 1
            if now - self._pruned > IDLE_SECONDS:
                self._prune(now)
            return wait

    def _bucket(self, key: tuple[str, str], sizes: tuple[float, float], now: float) -> Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = Bucket(*sizes, now)
        return bucket

    def _prune(self, now: float) -> None:
        self._pruned = now
        for key in [k for k, b in self._buckets.items() if now - b.at > IDLE_SECONDS]:
            del self._buckets[key]


class Attempts:
    """At most ``most`` attempts by one client in any ``seconds``, in this server process."""

    def __init__(self, most: int, seconds: float):
        self.most, self.seconds = most, seconds
        self._seen: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def spent(self, client: str, now: float | None = None) -> bool:
        """Whether the client has used up its attempts (without counting one)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            return self._spent(client, now)

    def take(self, client: str, now: float | None = None) -> bool:
        """Count one attempt if the client has one left (checked and counted at once); whether it had."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if self._spent(client, now):
                return False
            self._count(client, now)
            return True

    def count(self, client: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._count(client, now)

    def _spent(self, client: str, now: float) -> bool:
        seen = self._seen[client]
        while seen and now - seen[0] >= self.seconds:
            seen.popleft()
        if not seen:
            del self._seen[client]
        return len(seen) >= self.most

    def _count(self, client: str, now: float) -> None:
        if len(self._seen) > 10_000:  # many clients seen once: forget those whose window has passed
            for gone in [c for c, seen in self._seen.items() if now - seen[-1] >= self.seconds]:
                del self._seen[gone]
        self._seen[client].append(now)
