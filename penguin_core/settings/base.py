"""The base of ``DataSpec`` and ``ModelSpec``: frozen, checked against the table, a plain dict away from JSON."""

from __future__ import annotations

import dataclasses
from typing import Any

from penguin_core.errors import PenguinError
from penguin_core.settings.table import settings_of


class Settings:
    """Mixin for the frozen dataclasses whose fields are the table's rows of ``PART``."""

    PART = ""

    def check_settings(self) -> None:
        """Every field checked by its row (PenguinError in the one message format), kept as the row keeps it."""
        for row in settings_of(self.PART):
            object.__setattr__(self, row.field, row.check(getattr(self, row.field)))

    def to_dict(self) -> dict[str, Any]:
        return {row.field: row.accepts.plain(getattr(self, row.field)) for row in settings_of(self.PART)}

    @classmethod
    def from_dict(cls, values: dict[str, Any]):
        """Build from ``to_dict()``'s output (or a file): unknown keys and values of the wrong type are refused
        with a PenguinError naming the setting; missing keys take defaults."""
        if not isinstance(values, dict):
            raise PenguinError(f"{cls.__name__} must be a set of named settings.")
        rows = {row.field: row for row in settings_of(cls.PART)}
        unknown = sorted(map(str, set(values) - set(rows)))
        if unknown:
            raise PenguinError(f"Unknown setting {unknown[0][:40]!r} for {cls.__name__}: known are {', '.join(rows)}.")
        plain = {}
        for name, value in values.items():
            try:
                plain[name] = rows[name].accepts.from_plain(value)
            except (TypeError, ValueError):
                raise PenguinError(f"Setting {name!r} of {cls.__name__} has the wrong type: got {str(value)[:40]!r}.") from None
        return cls(**plain)

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)
