"""What a setting accepts, said once: each kind checks a value, reads it from text (an address, the command
line, a sweep), writes it back as text, and describes itself in a learner's words.

In the spirit of scikit-learn's ``_parameter_constraints`` (``Interval``, ``StrOptions``): one validator,
one message format, "<Label> must be <what it accepts>, got <value>."
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from penguin_core.errors import PenguinError

MAX_TEXT = 200
"""The longest text a setting is read from."""


def refused(label: str, accepts: str, value, why: str = "") -> PenguinError:
    """The one message format for a value a setting does not accept."""
    shown = repr(value) if not isinstance(value, str) or len(value) <= 40 else repr(value[:37] + "...")
    return PenguinError(f"{label} must be {accepts}, got {shown}." + (f" {why}" if why else ""))


@dataclass(frozen=True)
class Interval:
    """A number from ``low`` to ``high`` (``above_low``: low itself excluded), whole when ``whole``;
    ``or_zero``: 0 is accepted too (meaning "none")."""

    low: float
    high: float
    whole: bool = False
    above_low: bool = False
    or_zero: bool = False

    def describe(self) -> str:
        kind = "a whole number" if self.whole else "a number"
        low, high = (str(int(self.low)), str(int(self.high))) if self.whole else (f"{self.low:g}", f"{self.high:g}")
        text = f"{kind} above {low} and at most {high}" if self.above_low else f"{kind} from {low} to {high}"
        return f"0 (none) or {text}" if self.or_zero else text

    def check(self, label: str, value, why: str = ""):
        kind = numbers.Integral if self.whole else numbers.Real
        if isinstance(value, bool) or not isinstance(value, kind) or not math.isfinite(value):
            raise refused(label, self.describe(), value, why)
        if not (self.or_zero and value == 0):
            if not (self.low < value if self.above_low else self.low <= value) or not value <= self.high:
                raise refused(label, self.describe(), value, why)
        return int(value) if self.whole else float(value)

    def parse(self, text: str):
        text = _bounded(text)
        if self.whole:
            if not text.strip().lstrip("-").isdigit():
                raise ValueError("not a whole number")
            return int(text)
        value = float(text.replace(",", "."))
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        return value

    def format(self, value) -> str:
        return str(value) if self.whole else f"{value:g}"

    def show(self, value):
        return value

    def plain(self, value):
        return value

    def from_plain(self, value):
        kind = numbers.Integral if self.whole else numbers.Real
        if isinstance(value, bool) or not isinstance(value, kind):
            raise ValueError("not a number")
        return value


@dataclass(frozen=True)
class Options:
    """One of a few names."""

    options: tuple[str, ...]

    def describe(self) -> str:
        return "one of " + ", ".join(self.options)

    def check(self, label: str, value, why: str = ""):
        if not isinstance(value, str) or value not in self.options:
            raise refused(label, self.describe(), value, why)
        return value

    def parse(self, text: str):
        return _bounded(text).strip()

    def format(self, value) -> str:
        return value

    def show(self, value):
        return value

    def plain(self, value):
        return value

    def from_plain(self, value):
        if not isinstance(value, str):
            raise ValueError("not a name")
        return value


@dataclass(frozen=True)
class Flag:
    """On or off."""

    def describe(self) -> str:
        return "on or off (1 or 0)"

    def check(self, label: str, value, why: str = ""):
        if not isinstance(value, bool):
            raise refused(label, self.describe(), value, why)
        return value

    def parse(self, text: str):
        text = _bounded(text).strip().lower()
        if text not in ("0", "1", "true", "false"):
            raise ValueError("use 1 or 0")
        return text in ("1", "true")

    def format(self, value) -> str:
        return "1" if value else "0"

    def show(self, value):
        return value

    def plain(self, value):
        return value

    def from_plain(self, value):
        if not isinstance(value, bool):
            raise ValueError("not on or off")
        return value


@dataclass(frozen=True)
class Subset:
    """Some of a few names, each at most once, in any order; "none" in text for the empty choice."""

    options: tuple[str, ...]

    def describe(self) -> str:
        return "some of " + ", ".join(self.options)

    def check(self, label: str, value, why: str = ""):
        if isinstance(value, str) or not isinstance(value, (tuple, list)) or len(value) > len(self.options):
            raise refused(label, self.describe(), value, why)
        for name in value:
            if name not in self.options:
                raise PenguinError(f"{label}: {str(name)[:40]!r} is not one of {', '.join(self.options)}.")
        if len(set(value)) != len(value):
            raise refused(label, self.describe() + ", each at most once", tuple(value), why)
        return tuple(value)

    def parse(self, text: str):
        text = _bounded(text).strip()
        return () if text == "none" else tuple(part.strip() for part in text.split(",") if part.strip())

    def format(self, value) -> str:
        return ",".join(value) if value else "none"

    def show(self, value):
        """Short enough for a table's cell: "all 4" and "all but body_mass_g" when in the options' order."""
        value = tuple(value)
        left = [name for name in self.options if name not in value]
        if len(self.options) > 2 and value == tuple(n for n in self.options if n in value) and len(left) < len(value):
            return f"all {len(value)}" if not left else "all but " + ", ".join(left)
        return ", ".join(value) or "none"

    def plain(self, value):
        return list(value)

    def from_plain(self, value):
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ValueError("not a list of names")
        return tuple(value)


def _bounded(text) -> str:
    text = str(text)
    if len(text) > MAX_TEXT:
        raise ValueError(f"longer than {MAX_TEXT} characters")
    return text
