"""The hidden layers as a setting: each a number of units and an activation, written ``10-relu,8-tanh``."""

from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass

from penguin_core.engine.activations import ACTIVATIONS
from penguin_core.errors import PenguinError
from penguin_core.settings.constraints import _bounded, refused


@dataclass(frozen=True)
class HiddenLayer:
    """One fully connected (Dense) hidden layer, checked against the hidden layers' setting (``LAYERS``)."""

    units: int = 10
    activation: str = "relu"

    def __post_init__(self):
        LAYERS.check_layer(self)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Layers:
    """From 0 to ``max_layers`` hidden layers, each of 1 to ``max_units`` units and one of ``activations``."""

    max_layers: int
    max_units: int
    activations: tuple[str, ...] = ACTIVATIONS

    def describe(self) -> str:
        return f"at most {self.max_layers} hidden layers"

    def check_layer(self, layer) -> None:
        units = layer.units
        if isinstance(units, bool) or not isinstance(units, numbers.Integral) or not 1 <= units <= self.max_units:
            raise PenguinError(f"A hidden layer needs a whole number of units from 1 to {self.max_units}, got {units!r}.")
        if layer.activation not in self.activations:
            raise PenguinError(f"Unknown activation {str(layer.activation)[:40]!r}: choose from {', '.join(self.activations)}.")

    def check(self, label: str, value, why: str = ""):
        if isinstance(value, str) or not isinstance(value, (tuple, list)):
            raise refused(label, self.describe(), value, why)
        if len(value) > self.max_layers:
            raise PenguinError(f"At most {self.max_layers} hidden layers, got {len(value)}.")
        if not all(isinstance(layer, HiddenLayer) for layer in value):
            raise PenguinError("Each hidden layer must be a HiddenLayer(units, activation).")
        for layer in value:
            self.check_layer(layer)
        return tuple(value)

    def parse(self, text: str):
        text = _bounded(text).strip()
        if text == "none":
            return ()
        layers = []
        for part in text.split(","):
            units, _, activation = part.strip().partition("-")
            if not units.isdigit():
                raise ValueError("write layers as units-activation, e.g. 10-relu,8-tanh")
            layers.append(HiddenLayer(int(units), activation or "relu"))
        return tuple(layers)

    def format(self, value) -> str:
        return ",".join(f"{layer.units}-{layer.activation}" for layer in value) if value else "none"

    def show(self, value):
        return " → ".join(f"{layer.units} {layer.activation}" for layer in value) or "none"

    def plain(self, value):
        return [layer.to_dict() for layer in value]

    def from_plain(self, value):
        if not isinstance(value, (list, tuple)) or len(value) > 64:
            raise ValueError("not a list of layers")
        layers = []
        for layer in value:
            if isinstance(layer, HiddenLayer):
                layers.append(layer)
            elif isinstance(layer, dict) and set(layer) <= {"units", "activation"}:
                layers.append(HiddenLayer(**layer))
            else:
                raise ValueError("a layer is {units, activation}")
        return tuple(layers)


LAYERS = Layers(max_layers=4, max_units=256)
"""What the hidden layers setting accepts (its row in ``settings.table``)."""
