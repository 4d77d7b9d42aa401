"""The base of every settings object: frozen, and a plain dict away from JSON or a URL."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

from penguin_core.errors import PenguinError


class Settings:
    """Mixin for frozen dataclasses whose fields are plain values or tuples of them."""

    def to_dict(self) -> dict[str, Any]:
        return _plain(dataclasses.asdict(self))

    @classmethod
    def from_dict(cls, values: dict[str, Any]):
        """Build from ``to_dict()``'s output; unknown keys are refused, missing keys take defaults."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise PenguinError(f"Unknown setting {unknown[0]!r} for {cls.__name__}: known are {', '.join(sorted(names))}.")
        return cls(**cls._from_plain(dict(values)))

    @classmethod
    def _from_plain(cls, values: dict[str, Any]) -> dict[str, Any]:
        """Turn lists back into tuples; subclasses convert nested settings."""
        hints = typing.get_type_hints(cls)
        return {k: tuple(v) if isinstance(v, list) and "tuple" in str(hints[k]) else v for k, v in values.items()}

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
