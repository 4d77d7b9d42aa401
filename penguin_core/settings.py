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
        """Build from ``to_dict()``'s output (or a file, a link): unknown keys and values of the wrong type
        are refused with a PenguinError naming the setting; missing keys take defaults."""
        if not isinstance(values, dict):
            raise PenguinError(f"{cls.__name__} must be a set of named settings.")
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(map(str, set(values) - names))
        if unknown:
            raise PenguinError(f"Unknown setting {unknown[0][:40]!r} for {cls.__name__}: known are {', '.join(sorted(names))}.")
        hints = typing.get_type_hints(cls)
        for name, value in values.items():
            if not _fits(value, hints[name]):
                raise PenguinError(f"Setting {name!r} of {cls.__name__} has the wrong type: got {str(value)[:40]!r}.")
        try:
            return cls(**cls._from_plain(dict(values)))
        except PenguinError:
            raise
        except (TypeError, ValueError, AttributeError, KeyError) as error:
            raise PenguinError(f"These {cls.__name__} settings cannot be used: {str(error)[:200]}") from None

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


def _fits(value, hint) -> bool:
    """Whether a plain value (from JSON or a URL) has the type a field's hint asks for."""
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        return isinstance(value, (list, tuple)) and len(value) <= 64 and all(
            _fits(v, item) if item in (bool, int, float, str) else isinstance(v, (dict, item)) for v in value)
    return True
