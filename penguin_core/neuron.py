"""The lesson's first exercise: the output of one neuron, and the two-layer network that computes XOR."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from penguin_core.engine.activations import ACTIVATIONS, activate
from penguin_core.errors import PenguinError
from penguin_core.text import typed_list

LESSON_EXAMPLE = {"inputs": (0.0, 0.5, 1.0), "weights": (-1.0, -0.5, 0.5), "bias": 1.0, "activation": "relu"}
"""The notes' exercise; its answer is 1.25."""
MAX_INPUTS = 20
"""The most inputs (and weights) the calculator takes."""
WARM_UP_EXAMPLE = {"inputs": (2.0, -1.0), "weights": (0.5, 1.0), "bias": -0.5, "activation": "relu"}
"""What the calculator shows first: another neuron, so the exercise's answer is not on screen before it is asked."""


@dataclass(frozen=True)
class NeuronSteps:
    """Each step of the calculation, to show a learner the working, not only the answer."""

    products: tuple[float, ...]  # x_i * w_i
    weighted_sum: float          # sum of the products plus the bias
    output: float                # activation(weighted_sum)


def neuron(inputs: Sequence[float], weights: Sequence[float], bias: float, activation: str = "relu") -> NeuronSteps:
    """``activation(sum(x * w) + b)``, step by step."""
    x = np.asarray(inputs, dtype=float)
    w = np.asarray(weights, dtype=float)
    if x.ndim != 1 or x.shape != w.shape or x.size == 0:
        raise PenguinError(f"A neuron needs one weight per input: got {x.size} inputs and {w.size} weights.")
    if not (np.isfinite(x).all() and np.isfinite(w).all() and np.isfinite(bias)):
        raise PenguinError("Inputs, weights and bias must be finite numbers.")
    if activation not in ACTIVATIONS:
        raise PenguinError(f"Unknown activation {activation!r}: choose from {', '.join(ACTIVATIONS)}.")
    products = x * w
    total = float(products.sum() + bias)
    return NeuronSteps(tuple(products.tolist()), total, float(activate(activation, np.array(total))))


def xor_network(x1: float, x2: float) -> tuple[float, float, float]:
    """The notes' two-layer exercise: h1 = relu(x1 + x2), h2 = relu(x1 + x2 - 1), y = relu(h1 - 2 h2)."""
    h1 = neuron((x1, x2), (1, 1), 0).output
    h2 = neuron((x1, x2), (1, 1), -1).output
    return h1, h2, neuron((h1, h2), (1, -2), 0).output


def xor_table() -> list[dict[str, float]]:
    """The network over the four binary inputs: y is 0, 1, 1, 0, i.e. XOR."""
    rows = []
    for x1 in (0, 1):
        for x2 in (0, 1):
            h1, h2, y = xor_network(x1, x2)
            rows.append({"x1": x1, "x2": x2, "h1": h1, "h2": h2, "y": y})
    return rows


def parse_numbers(text: str, name: str) -> tuple[float, ...]:
    """'0, 0.5, 1' -> (0.0, 0.5, 1.0); PenguinError saying which entry is not a number, or that there are more
    than ``MAX_INPUTS`` (a neuron of the lesson's size has 4)."""
    parts = typed_list(text, name, MAX_INPUTS)
    if not parts:
        raise PenguinError(f"{name}: type numbers separated by commas, such as 0, 0.5, 1.")
    values = []
    for part in parts:
        try:
            values.append(float(part))
        except ValueError:
            raise PenguinError(f"{name}: {part!r} is not a number; type numbers separated by commas.") from None
    return tuple(values)
