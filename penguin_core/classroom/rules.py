"""The rules of a class: codes and keys, how long a name or a note may be, how often a learner may post.

The join code is short (six letters a learner can read off a projector);
the instructor's key is long and secret, kept only as its SHA-256 and
compared in constant time. Posting is limited per learner, per server
process: a few posts a second, enough for any honest use.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

from penguin_core.errors import PenguinError
from penguin_core.text import clean_name

CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_LENGTH = 6
MAX_CLASS_NAME = 60
MAX_NAME = 40
MAX_ANSWER = 40
MAX_NOTE = 140
POSTS_PER_SECOND = 4


def new_code() -> str:
    return "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))


def new_key() -> str:
    """The instructor's key: 128 random bits."""
    return secrets.token_urlsafe(16)


def key_hash(key: str) -> str:
    return hashlib.sha256(str(key).encode()).hexdigest()


def key_matches(key: str | None, stored_hash: str) -> bool:
    """Whether ``key`` is the class's instructor key, in constant time."""
    return isinstance(key, str) and 8 <= len(key) <= 100 and hmac.compare_digest(key_hash(key), stored_hash)


def normal_code(code: str | None) -> str | None:
    """A typed or linked code in its stored form (upper case, no spaces), or None if it cannot be one."""
    code = "".join(str(code or "").split()).upper()[:20]
    return code if len(code) == CODE_LENGTH and all(c in CODE_LETTERS for c in code) else None


def bounded(text: str | None, limit: int, what: str, required: bool = True) -> str:
    """``text`` cleaned (control characters and extra spaces gone) and at most ``limit`` characters."""
    cleaned = clean_name(str(text or "")[:10 * limit], limit)
    if required and not cleaned:
        raise PenguinError(f"Type a {what} (at most {limit} characters).")
    return cleaned


class TooFast(PenguinError):
    """A learner's post beyond the limit: worth sending again a moment later (the lab's outbox does)."""


class PostLimit:
    """At most ``per_second`` posts by one learner in any second, in this server process."""

    def __init__(self, per_second: int = POSTS_PER_SECOND):
        self.per_second = per_second
        self._posts: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, member: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            posts = self._posts[member]
            while posts and now - posts[0] >= 1.0:
                posts.popleft()
            if len(posts) >= self.per_second:
                raise TooFast("You are posting very fast: wait a second and try again.")
            posts.append(now)
