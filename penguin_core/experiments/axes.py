"""What a sweep may vary: each setting, the values a learner may give it, and how a value changes a setup.

Every setting whose row in ``penguin_core.settings.SETTINGS`` has sweep values
is an axis, read and checked by its row, so a sweep can only ask for runs a
learner could have asked for one by one. The hidden layers, a list, are swept
by their parts (the units or the activation of every layer, the number of
layers); the measurements by named sets.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from penguin_core.data import FEATURES, feature_label
from penguin_core.errors import PenguinError
from penguin_core.model import HiddenLayer, ModelSpec
from penguin_core.preparation import DataSpec
from penguin_core.settings import SETTINGS, Flag, Options, setting
from penguin_core.text import typed_list

MAX_VALUES = 10
"""At most this many values of one setting in a sweep."""

FEATURE_SETS = {"all four": tuple(FEATURES)}
FEATURE_SETS |= {f"without {feature_label(f).split(' (')[0].lower()}": tuple(x for x in FEATURES if x != f)
                 for f in FEATURES}
FEATURE_SETS |= {"bill length and depth": ("bill_length_mm", "bill_depth_mm"),
                 "flipper length and body mass": ("flipper_length_mm", "body_mass_g")}


@dataclass(frozen=True)
class Axis:
    """One setting a sweep can vary."""

    name: str
    label: str
    field: str  # the DataSpec or ModelSpec field it changes
    apply: Callable[[DataSpec, ModelSpec, object], tuple[DataSpec, ModelSpec]]
    parse: Callable[[str], object] | None = None  # for typed values; None when picked from ``choices``
    choices: tuple = ()
    default: tuple = ()

    def values(self, typed: str | list) -> list:
        """The distinct values asked for, in the order given: PenguinError naming any that is not allowed."""
        items = typed if isinstance(typed, list) else typed_list(typed, f"Values of {self.label}", MAX_VALUES)
        if len(items) > MAX_VALUES:
            raise PenguinError(f"At most {MAX_VALUES} values of {self.label}, got {len(items)}.")
        values = []
        for item in items:
            value = self.parse(item.strip()) if self.parse is not None and isinstance(item, str) else item
            if self.choices and value not in self.choices:
                raise PenguinError(f"{self.label}: {str(value)[:20]!r} is not one of {', '.join(map(str, self.choices))}.")
            if value not in values:
                values.append(value)
        if not values:
            raise PenguinError(f"Give at least one value of {self.label}.")
        return values

    def show(self, value) -> str:
        return {True: "on", False: "off"}.get(value, str(value)) if isinstance(value, bool) else str(value)


def _typed(row):
    """A parser of one typed value of ``row`` (39.1 or 39,1 for a number), checked by the row."""
    def parse(text: str):
        try:
            return row.parse(text)
        except PenguinError:
            raise
        except ValueError as error:
            raise PenguinError(f"{row.spoken[:1].upper()}{row.spoken[1:]}: {text[:20]!r} is {error}.") from None
    return parse


def _of_row(row) -> Axis:
    """The axis of a setting with sweep values: its choices when it has a few, else typed values."""
    choices = (False, True) if isinstance(row.accepts, Flag) else row.accepts.options if isinstance(
        row.accepts, Options) else ()
    if row.field == "optimizer":  # a new optimizer brings its own learning rate, as on the Architecture page
        apply, label = (lambda d, m, v: (d, m.with_optimizer(v))), f"{row.spoken} (at its Keras default learning rate)"
    elif row.part == "data":
        apply, label = (lambda d, m, v: (d.replace(**{row.field: v}), m)), row.spoken
    else:
        apply, label = (lambda d, m, v: (d, m.replace(**{row.field: v}))), row.spoken
    return Axis(row.field, label, row.field, apply,
                None if choices else _typed(row), choices, row.sweep)


def _layers(model: ModelSpec, count: int) -> tuple[HiddenLayer, ...]:
    like = model.hidden[0] if model.hidden else HiddenLayer()
    return tuple(model.hidden[i] if i < len(model.hidden) else like for i in range(count))


def _every_layer(m: ModelSpec, **change) -> ModelSpec:
    """Every hidden layer changed alike (a model without one gets the lesson's first)."""
    return m.replace(hidden=tuple(dataclasses.replace(h, **change) for h in _layers(m, max(1, len(m.hidden)))))


def _layer_part(what: str, low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise PenguinError(f"{what}: {text[:20]!r} is not a whole number.") from None
        if not low <= value <= high:
            raise PenguinError(f"{what}: {value} is outside {low} to {high}.")
        return value
    return parse


_HIDDEN = setting("hidden").accepts
AXES = {axis.name: axis for axis in (
    Axis("units", "hidden units (every hidden layer)", "hidden", lambda d, m, u: (d, _every_layer(m, units=u)),
         _layer_part("Hidden units", 1, _HIDDEN.max_units), default=(2, 5, 10, 20, 50)),
    Axis("layers", "hidden layers", "hidden", lambda d, m, n: (d, m.replace(hidden=_layers(m, n))),
         _layer_part("Hidden layers", 0, _HIDDEN.max_layers), default=(0, 1, 2)),
    Axis("activation", "activation (every hidden layer)", "hidden",
         lambda d, m, a: (d, _every_layer(m, activation=a)), choices=_HIDDEN.activations,
         default=("relu", "tanh", "sigmoid")),
    *(_of_row(row) for row in SETTINGS if row.sweep),
    Axis("features", "measurements", "features", lambda d, m, v: (d.replace(features=FEATURE_SETS[v]), m),
         choices=tuple(FEATURE_SETS), default=("all four", "without body mass", "bill length and depth")),
)}
"""Every setting a sweep can vary, by name."""
