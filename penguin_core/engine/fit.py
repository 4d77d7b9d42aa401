"""One ``model.fit`` in progress: Keras' training math in NumPy (see ``batch``), one epoch at a time.

Arrays and a recipe in, a network and its epoch records out: mini-batches of
``batch_size``, reshuffled every epoch, categorical cross-entropy computed
from the logits (as Keras does behind a softmax), the chosen optimizer. It
knows nothing of runs, settings or who listens: iterate a ``Fit`` to get
epoch records. All randomness comes from the recipe's seed through private
generators, so fits in parallel threads or sessions never disturb each other.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from penguin_core.engine.batch import Batch, cross_entropy
from penguin_core.engine.network import Network, Scaling, init_network
from penguin_core.engine.optimizers import slot_starts
from penguin_core.engine.snapshots import Snapshots


@dataclass(frozen=True, eq=False)
class Arrays:
    """What a fit learns from: the training part (raw ``X``, one-hot ``y``, float32), the validation part if
    any, the scaling the network applies first, and what the columns mean."""

    X: np.ndarray
    y: np.ndarray
    validation: tuple[np.ndarray, np.ndarray] | None
    scaling: Scaling | None
    features: tuple[str, ...]
    species: tuple[str, ...]


class Layer(Protocol):
    units: int
    activation: str


class Recipe(Protocol):
    """What the engine reads of the settings (``ModelSpec`` is one)."""

    hidden: Sequence[Layer]
    optimizer: str
    learning_rate: float
    momentum: float  # SGD's (0 for plain SGD); other optimizers have none
    batch_size: int
    epochs: int
    seed: int


def layer_sizes(recipe: Recipe, n_inputs: int, n_outputs: int) -> list[int]:
    return [n_inputs, *(layer.units for layer in recipe.hidden), n_outputs]


class Fit:
    """One fit in progress. ``for record in fit`` trains epoch by epoch; stop whenever you like: ``network``,
    ``history`` and ``snapshots`` hold what it learned so far. ``spec`` is the recipe as given."""

    def __init__(self, arrays: Arrays, spec: Recipe, *, shuffle: bool = True):
        self.arrays, self.spec, self.shuffle = arrays, spec, shuffle
        self.X, self.y = arrays.X, arrays.y
        if not 1 <= spec.batch_size <= len(self.X):
            raise ValueError(f"batch size {spec.batch_size} for {len(self.X)} training rows")
        self.validation = arrays.validation
        init_rng, self.shuffle_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(spec.seed).spawn(2))
        sizes = layer_sizes(spec, self.X.shape[1], self.y.shape[1])
        self.network = init_network(sizes, [layer.activation for layer in spec.hidden], arrays.features,
                                    arrays.species, arrays.scaling, init_rng)
        if arrays.scaling is not None:  # the Normalization layer is fixed: apply it once, not every batch
            self.X = arrays.scaling.apply(self.X)
        self.slots = [[np.full_like(p, start) for p in self._params()]
                      for start in slot_starts(spec.optimizer, spec.momentum)]
        self.iterations = 0  # gradient steps taken
        self.batch = None  # the Batch whose buffers hold this fit's weights now
        self.history: list[dict] = []
        self.snapshots = Snapshots(spec.epochs, sum((a + 1) * b for a, b in zip(sizes, sizes[1:])))
        self.snapshots.keep(0, self.network.kernels, self.network.biases)
        self.seconds = 0.0
        self.stop_requested = False
        self.lock = threading.Lock()  # an epoch and a snapshot never interleave

    def request_stop(self) -> None:
        """Ask a loop running in another thread to stop after the current epoch."""
        self.stop_requested = True

    def resume(self) -> None:
        """Allow more epochs after a stop (the Playground pauses and plays on)."""
        self.stop_requested = False

    def network_now(self) -> Network:
        """A copy of the network as trained so far (later epochs do not change it)."""
        with self.lock:
            return self.network.copy()

    def network_at(self, epoch: int) -> tuple[Network, int]:
        """The network as it was after ``epoch`` epochs (the nearest kept snapshot at or before it)."""
        with self.lock:
            kept = max(e for e in self.snapshots.kept if e <= epoch)
            kernels, biases = self.snapshots.kept[kept]
        return self.network.with_weights(kernels, biases), kept

    def so_far(self) -> tuple[Network, list[dict], Snapshots, float]:
        """Copies of what it learned so far (network, history, snapshots up to now, compute seconds)."""
        with self.lock:
            network, history, seconds = self.network.copy(), [dict(r) for r in self.history], self.seconds
            snapshots = self.snapshots.up_to(len(history))
            snapshots.keep(len(history), network.kernels, network.biases)  # a stopped fit's last epoch too
        return network, history, snapshots, seconds

    @property
    def done(self) -> bool:
        return len(self.history) >= self.spec.epochs

    def __iter__(self) -> Iterator[dict]:
        while not self.done and not self.stop_requested:
            yield self.epoch()

    def epoch(self) -> dict:
        """Train one epoch; return its record: epoch (from 1), loss, accuracy, val_loss, val_accuracy."""
        with self.lock:
            if self.batch is None or len(self.batch.runs) > 1:  # alone again after training with others
                Batch([self])
            return self.batch.epoch()[0]

    def _params(self) -> list[np.ndarray]:
        return [p for pair in zip(self.network.kernels, self.network.biases) for p in pair]

    def finish_epoch(self, record: dict, iterations: int, seconds: float) -> None:
        """Called by the batch after this fit's epoch: its record, its step count, its share of the time."""
        self.history.append(record)
        self.iterations = iterations
        if self.snapshots.wants(record["epoch"]):
            self.snapshots.keep(record["epoch"], self.network.kernels, self.network.biases)
        self.seconds += seconds


def measure(network: Network, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Mean categorical cross-entropy and accuracy of ``network`` on raw ``X`` and one-hot ``y``."""
    logits = network.logits(X)
    return float(cross_entropy(logits, y).mean()), float((logits.argmax(1) == y.argmax(1)).mean())
