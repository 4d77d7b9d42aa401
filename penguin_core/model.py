"""The model's settings (architecture and training), and what they imply: parameter count, summary."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from penguin_core.engine.optimizers import DEFAULT_LEARNING_RATES, OPTIMIZERS
from penguin_core.errors import PenguinError
from penguin_core.settings import LOSSES, HiddenLayer, Settings, setting

MAX_HIDDEN_LAYERS = setting("hidden").accepts.max_layers
MAX_UNITS = setting("hidden").accepts.max_units
MAX_EPOCHS = int(setting("epochs").accepts.high)
__all__ = ["DEFAULT_LEARNING_RATES", "LOSSES", "MAX_EPOCHS", "MAX_HIDDEN_LAYERS", "MAX_UNITS", "OPTIMIZERS",
           "HiddenLayer", "ModelSpec", "summary_text"]


@dataclass(frozen=True)
class ModelSpec(Settings):
    """Architecture and training settings; the defaults are the lesson's model (each field is a row of
    ``penguin_core.settings.SETTINGS``, which checks it).

    hidden:        the hidden layers, input side first (0 to 4); the output is always
                   Dense(number of species, softmax).
    optimizer:     adam, sgd, rmsprop or adagrad, with ``learning_rate`` (and, for sgd, ``momentum``).
    loss:          categorical cross-entropy (the one-hot target's loss).
    batch_size:    penguins per gradient step; epochs: passes over the training set.
    seed:          seeds the initial weights and each epoch's shuffle; same seed, same run.
    """

    PART = "model"
    hidden: tuple[HiddenLayer, ...] = setting("hidden").default
    optimizer: str = setting("optimizer").default
    learning_rate: float = setting("learning_rate").default
    momentum: float = setting("momentum").default
    loss: str = setting("loss").default
    batch_size: int = setting("batch_size").default
    epochs: int = setting("epochs").default
    seed: int = setting("seed").default

    def __post_init__(self):
        self.check_settings()

    def with_optimizer(self, name: str) -> "ModelSpec":
        """Another optimizer, at Keras' own default learning rate for it (PenguinError for an unknown one)."""
        return self.replace(optimizer=name, learning_rate=DEFAULT_LEARNING_RATES.get(name, self.learning_rate))

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

