"""The rules of a class: codes and keys, how long a name or a note may be, how often a learner may post.

The join code is short (six letters a learner can read off a projector);
the instructor's key is long and secret, kept only as its SHA-256 and
compared in constant time. Posting is limited per learner, per server
process: a few posts a second, enough for any honest use. A class holds at
most ``MAX_MEMBERS`` learners, each with their newest ``MAX_RUNS`` runs on the
board; the database at most ``MAX_CLASSES`` classes, and a class nobody used
for ``IDLE_DAYS`` days is deleted. From one client (``penguin_core.server.clients``)
at most ``STARTS_PER_HOUR`` classes are started, and after ``WRONG_CODES`` wrong
codes in a minute joining waits (a code is guessed from 1e9, not at 55 a second).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

from penguin_core.errors import PenguinError
from penguin_core.server.clients import Attempts
from penguin_core.text import clean_name

CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_LENGTH = 6
MAX_CLASS_NAME = 60
MAX_NAME = 40
MAX_ANSWER = 40
MAX_NOTE = 140
POSTS_PER_SECOND = 4
MAX_MEMBERS = 300
MAX_RUNS = 20
BOARD_RUNS = 300
"""The newest runs the board reads and shows (the count says how many there are in all)."""
MAX_CLASSES = 1000
IDLE_DAYS = 14
STARTS_PER_HOUR = 10
WRONG_CODES = 10
INVISIBLE = dict.fromkeys(map(ord, "\u115f\u1160\u3164\uffa0\u2800\u00ad\u034f\u17b4\u17b5"), None)
"""Letters drawn as nothing (Hangul fillers, the braille blank...): a name of them alone shows blank."""
LOOK_ALIKES = str.maketrans("аеорсухіјѕԁһӏԛԝαοτνκιρεχΑΒΕΖΗΙΚΜΝΟΡΤΥΧАВЕКМНОРСТХЅІЈ",
                            "aeopcyxijsdhlqwaotvkipexABEZHIKMNOPTYXABEKMHOPCTXSIJ")
"""Cyrillic and Greek letters that look like Latin ones, to their Latin twin (for telling names apart)."""


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


def display_name(text: str | None, limit: int = MAX_NAME) -> str:
    """A learner's name as the board shows it: cleaned, without invisible letters, and not blank."""
    name = " ".join(bounded(text, limit, "name").translate(INVISIBLE).split())
    if not name:
        raise PenguinError(f"Type a name others can read (at most {limit} characters).")
    return name


def name_skeleton(name: str) -> str:
    """What a name looks like, for telling two learners apart: "Alice", "alice" and a Cyrillic "Аlice" are one."""
    return " ".join(unicodedata.normalize("NFKC", name).translate(LOOK_ALIKES).casefold().split())


class TooFast(PenguinError):
    """A learner's post beyond the limit: worth sending again a moment later (the lab's outbox does)."""


class PostLimit:
    """At most ``per_second`` posts by one learner in any second, in this server process."""

    def __init__(self, per_second: int = POSTS_PER_SECOND):
        self.per_second = per_second
        self._posts = Attempts(per_second, 1.0)

    def allow(self, member: str, now: float | None = None) -> None:
        if not self._posts.take(member, now):
            raise TooFast("You are posting very fast: wait a second and try again.")
