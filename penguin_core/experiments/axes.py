"""What a sweep may vary: each setting, the values a learner may give it, and how a value changes a setup.

A value is typed as text ("4, 8, 16") or picked from choices; every value is
checked here against the same limits the settings themselves enforce, so a
sweep can only ask for runs a learner could have asked for one by one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from penguin_core.data import FEATURES, feature_label
from penguin_core.engine.activations import ACTIVATIONS
from penguin_core.errors import PenguinError
from penguin_core.model import DEFAULT_LEARNING_RATES, MAX_HIDDEN_LAYERS, OPTIMIZERS, HiddenLayer, ModelSpec
from penguin_core.preparation import DataSpec

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
        items = typed if isinstance(typed, list) else [t for t in str(typed).replace(";", ",").split(",") if t.strip()]
        if len(items) > MAX_VALUES:
            raise PenguinError(f"At most {MAX_VALUES} values of {self.label}, got {len(items)}.")
        values = []
        for item in items:
            value = self.parse(item.strip()) if self.parse is not None and isinstance(item, str) else item
            if self.choices and value not in self.choices:
                raise PenguinError(f"{self.label}: {value!r} is not one of {', '.join(map(str, self.choices))}.")
            if value not in values:
                values.append(value)
        if not values:
            raise PenguinError(f"Give at least one value of {self.label}.")
        return values

    def show(self, value) -> str:
        return {True: "on", False: "off"}.get(value, str(value)) if isinstance(value, bool) else str(value)


def _whole(label: str, low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise PenguinError(f"{label}: {text[:20]!r} is not a whole number.") from None
        if not low <= value <= high:
            raise PenguinError(f"{label}: {value} is outside {low} to {high}.")
        return value
    return parse


def _number(label: str, low: float, high: float, above_low: bool = False):
    """A parser of a decimal number (39.1 or 39,1) from ``low`` (or above it) to ``high``."""
    def parse(text: str) -> float:
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            raise PenguinError(f"{label}: {text[:20]!r} is not a number.") from None
        if not (low < value if above_low else low <= value) or not value <= high:
            raise PenguinError(f"{label}: {value} must be {'above' if above_low else 'from'} {low} and at most {high}.")
        return value
    return parse


def _layers(model: ModelSpec, count: int) -> tuple[HiddenLayer, ...]:
    like = model.hidden[0] if model.hidden else HiddenLayer()
    return tuple(model.hidden[i] if i < len(model.hidden) else like for i in range(count))


def _every_layer(m: ModelSpec, **change) -> ModelSpec:
    """Every hidden layer changed alike (a model without one gets the lesson's first)."""
    return dataclasses.replace(m, hidden=tuple(dataclasses.replace(h, **change) for h in _layers(m, max(1, len(m.hidden)))))


def _units(d, m, units):
    return d, _every_layer(m, units=units)


def _activation(d, m, name):
    return d, _every_layer(m, activation=name)


def _optimizer(d, m, name):
    return d, dataclasses.replace(m, optimizer=name, learning_rate=DEFAULT_LEARNING_RATES[name])


def _model(field: str):
    return lambda d, m, v: (d, dataclasses.replace(m, **{field: v}))


def _data(field: str):
    return lambda d, m, v: (dataclasses.replace(d, **{field: v}), m)


AXES = {axis.name: axis for axis in (
    Axis("units", "hidden units (every hidden layer)", "hidden", _units, _whole("Hidden units", 1, 256),
         default=(2, 5, 10, 20, 50)),
    Axis("layers", "hidden layers", "hidden", lambda d, m, n: (d, dataclasses.replace(m, hidden=_layers(m, n))),
         _whole("Hidden layers", 0, MAX_HIDDEN_LAYERS), default=(0, 1, 2)),
    Axis("activation", "activation (every hidden layer)", "hidden", _activation, choices=ACTIVATIONS,
         default=("relu", "tanh", "sigmoid")),
    Axis("learning_rate", "learning rate", "learning_rate", _model("learning_rate"),
         _number("Learning rate", 0, 10, above_low=True), default=(0.0001, 0.001, 0.01, 0.1)),
    Axis("batch_size", "batch size", "batch_size", _model("batch_size"), _whole("Batch size", 1, 1000),
         default=(8, 32, 128)),
    Axis("epochs", "epochs", "epochs", _model("epochs"), _whole("Epochs", 1, 5000), default=(25, 50, 100, 200)),
    Axis("optimizer", "optimizer (at its Keras default learning rate)", "optimizer", _optimizer, choices=OPTIMIZERS,
         default=("adam", "sgd")),
    Axis("standardize", "standardization", "standardize", _data("standardize"), choices=(False, True),
         default=(False, True)),
    Axis("test_size", "test fraction", "test_size", _data("test_size"), _number("Test fraction", 0.05, 0.5),
         default=(0.1, 0.2, 0.3)),
    Axis("features", "measurements", "features", lambda d, m, v: (dataclasses.replace(d, features=FEATURE_SETS[v]), m),
         choices=tuple(FEATURE_SETS), default=("all four", "without body mass", "bill length and depth")),
)}
"""Every setting a sweep can vary, by name."""
