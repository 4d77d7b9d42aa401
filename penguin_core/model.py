"""The model's settings (architecture and training), and what they imply: parameter count, summary."""

from __future__ import annotations

import functools
import numbers
from dataclasses import dataclass

from penguin_core.engine.activations import ACTIVATIONS
from penguin_core.errors import PenguinError
from penguin_core.settings import Settings

OPTIMIZERS = ("adam", "sgd", "rmsprop", "adagrad")
DEFAULT_LEARNING_RATES = {"adam": 0.001, "sgd": 0.01, "rmsprop": 0.001, "adagrad": 0.001}
"""Keras' own default learning rate for each optimizer."""
LOSSES = ("categorical_crossentropy",)
MAX_HIDDEN_LAYERS = 4
MAX_UNITS = 256
MAX_EPOCHS = 5000


@dataclass(frozen=True)
class HiddenLayer(Settings):
    """One fully connected (Dense) hidden layer."""

    units: int = 10
    activation: str = "relu"

    def __post_init__(self):
        if isinstance(self.units, bool) or not isinstance(self.units, numbers.Integral) or not 1 <= self.units <= MAX_UNITS:
            raise PenguinError(f"A hidden layer needs a whole number of units from 1 to {MAX_UNITS}, got {self.units!r}.")
        if self.activation not in ACTIVATIONS:
            raise PenguinError(f"Unknown activation {self.activation!r}: choose from {', '.join(ACTIVATIONS)}.")


@dataclass(frozen=True)
class ModelSpec(Settings):
    """Architecture and training settings; the defaults are the lesson's model.

    hidden:        the hidden layers, input side first (0 to 4); the output is always
                   Dense(number of species, softmax).
    optimizer:     adam, sgd, rmsprop or adagrad, with ``learning_rate``.
    loss:          categorical cross-entropy (the one-hot target's loss).
    batch_size:    penguins per gradient step; epochs: passes over the training set.
    seed:          seeds the initial weights and each epoch's shuffle; same seed, same run.
    """

    hidden: tuple[HiddenLayer, ...] = (HiddenLayer(),)
    optimizer: str = "adam"
    learning_rate: float = 0.001
    loss: str = "categorical_crossentropy"
    batch_size: int = 32
    epochs: int = 100
    seed: int = 2

    def __post_init__(self):
        object.__setattr__(self, "hidden", tuple(self.hidden))
        if len(self.hidden) > MAX_HIDDEN_LAYERS:
            raise PenguinError(f"At most {MAX_HIDDEN_LAYERS} hidden layers, got {len(self.hidden)}.")
        if not all(isinstance(layer, HiddenLayer) for layer in self.hidden):
            raise PenguinError("Each hidden layer must be a HiddenLayer(units, activation).")
        if self.optimizer not in OPTIMIZERS:
            raise PenguinError(f"Unknown optimizer {self.optimizer!r}: choose from {', '.join(OPTIMIZERS)}.")
        if self.loss not in LOSSES:
            raise PenguinError(f"Unknown loss {self.loss!r}: this classifier uses {LOSSES[0]}.")
        if isinstance(self.learning_rate, bool) or not isinstance(self.learning_rate, numbers.Real) or not 0 < self.learning_rate <= 10:
            raise PenguinError(f"Learning rate must be a number above 0 and at most 10, got {self.learning_rate!r}.")
        _check_whole("Batch size", self.batch_size, 1, 100_000)
        _check_whole("Epochs", self.epochs, 1, MAX_EPOCHS)
        _check_whole("Seed", self.seed, 0, 2**32 - 1)

    @classmethod
    def _from_plain(cls, values):
        values = super()._from_plain(values)
        if "hidden" in values:
            values["hidden"] = tuple(
                layer if isinstance(layer, HiddenLayer) else HiddenLayer.from_dict(layer) for layer in values["hidden"]
            )
        return values

    def check_batch_size(self, n_train: int) -> None:
        """A batch cannot hold more penguins than the training set has."""
        if self.batch_size > n_train:
            raise PenguinError(f"Batch size {self.batch_size} is larger than the {n_train} training penguins: "
                               f"choose a batch size from 1 to {n_train}.")

    def layer_sizes(self, n_inputs: int, n_outputs: int = 3) -> list[int]:
        """Neurons per layer, inputs first: [4, 10, 3] for the lesson."""
        return [n_inputs, *(layer.units for layer in self.hidden), n_outputs]

    def count_params(self, n_inputs: int, n_outputs: int = 3) -> int:
        """Trainable parameters: each Dense layer has inputs x units weights plus one bias per unit."""
        sizes = self.layer_sizes(n_inputs, n_outputs)
        return sum((fan_in + 1) * fan_out for fan_in, fan_out in zip(sizes, sizes[1:]))


def summary_text(spec: ModelSpec, n_inputs: int, n_outputs: int = 3, standardize: bool = False) -> str:
    """Keras' own ``model.summary()`` of the untrained model, as text."""
    return _summary_text(spec.hidden, n_inputs, n_outputs, standardize)


@functools.lru_cache(maxsize=256)
def _summary_text(hidden, n_inputs, n_outputs, standardize) -> str:
    from penguin_core.keras_model import build_keras_model

    model = build_keras_model(
        n_inputs, [(layer.units, layer.activation) for layer in hidden], n_outputs,
        scaling=(None if not standardize else ([0.0] * n_inputs, [1.0] * n_inputs)),
    )
    lines: list[str] = []
    model.summary(print_fn=lambda line, **_: lines.append(line), line_length=72)
    return "\n".join(lines)


def _check_whole(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
        raise PenguinError(f"{name} must be a whole number from {low} to {high}, got {value!r}.")
