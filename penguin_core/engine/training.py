"""The training engine: Keras ``fit``'s math in NumPy (see ``batch``), reporting every epoch as it ends.

Mini-batches of ``batch_size``, reshuffled every epoch, categorical cross-entropy
computed from the logits (as Keras does behind a softmax), the chosen optimizer.
It knows nothing of who listens: iterate a ``Training`` to get epoch records,
or call ``train`` with Keras-style callbacks. All randomness comes from the
spec's seed through private generators, so runs in parallel threads or
sessions never disturb each other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from penguin_core.model import ModelSpec
from penguin_core.engine.network import Network, init_network
from penguin_core.engine.batch import Batch, cross_entropy
from penguin_core.engine.optimizers import SLOT_STARTS
from penguin_core.engine.snapshots import Snapshots
from penguin_core.preparation import PreparedData
from penguin_core.run import Run


class Training:
    """One run in progress. ``for record in training`` trains epoch by epoch; stop whenever you like
    and ``training.run()`` gives the Run as trained so far."""

    def __init__(self, data: PreparedData, spec: ModelSpec = ModelSpec(), *, shuffle: bool = True):
        self.data, self.spec, self.shuffle = data, spec, shuffle
        self.X, self.y = data.arrays("train")
        spec.check_batch_size(len(self.X))
        self.validation = data.arrays("val") if data.X_val is not None else None
        init_rng, self.shuffle_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(spec.seed).spawn(2))
        sizes = spec.layer_sizes(self.X.shape[1], self.y.shape[1])
        self.network = init_network(
            sizes, [layer.activation for layer in spec.hidden], data.features, data.species, data.scaling, init_rng)
        if data.scaling is not None:  # the Normalization layer is fixed: apply it once, not every batch
            self.X = data.scaling.apply(self.X)
        self.slots = [[np.full_like(p, start) for p in self._params()] for start in SLOT_STARTS[spec.optimizer]]
        self.iterations = 0  # gradient steps taken
        self.batch = None  # the Batch whose buffers hold this run's weights now
        self.history: list[dict] = []
        self.snapshots = Snapshots(spec.epochs, spec.count_params(self.X.shape[1], self.y.shape[1]))
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

    def network_now(self):
        """A copy of the network as trained so far (later epochs do not change it)."""
        with self.lock:
            return self.network.copy()

    def network_at(self, epoch: int):
        """The network as it was after ``epoch`` epochs (the nearest kept snapshot at or before it)."""
        with self.lock:
            kept = max(e for e in self.snapshots.kept if e <= epoch)
            kernels, biases = self.snapshots.kept[kept]
        return self.network.with_weights(kernels, biases), kept

    @property
    def done(self) -> bool:
        return len(self.history) >= self.spec.epochs

    def __iter__(self) -> Iterator[dict]:
        while not self.done and not self.stop_requested:
            yield self.epoch()

    def epoch(self) -> dict:
        """Train one epoch; return its record: epoch (from 1), loss, accuracy, val_loss, val_accuracy."""
        with self.lock:
            return self._epoch()

    def _epoch(self) -> dict:
        if self.batch is None or len(self.batch.runs) > 1:  # alone again after training with others
            Batch([self])
        return self.batch.epoch()[0]

    def _params(self) -> list[np.ndarray]:
        return [p for pair in zip(self.network.kernels, self.network.biases) for p in pair]

    def finish_epoch(self, record: dict, iterations: int, seconds: float) -> None:
        """Called by the batch after this run's epoch: its record, its step count, its share of the time."""
        self.history.append(record)
        self.iterations = iterations
        if self.snapshots.wants(record["epoch"]):
            self.snapshots.keep(record["epoch"], self.network.kernels, self.network.biases)
        self.seconds += seconds

    def run(self) -> Run:
        """The run so far, as a value: later epochs do not change it."""
        with self.lock:
            network, history, seconds = self.network.copy(), [dict(r) for r in self.history], self.seconds
            snapshots = self.snapshots.up_to(len(history))
            snapshots.keep(len(history), network.kernels, network.biases)  # a stopped run's last epoch too
        test_loss, test_accuracy = measure(network, *self.data.arrays("test"))
        return Run(
            data_spec=self.data.spec, model_spec=self.spec, network=network,
            history=history, test_metrics={"loss": test_loss, "accuracy": test_accuracy},
            profile=Run.profile_of(self.data), seconds=seconds, snapshots=snapshots,
        )


def train(data: PreparedData, spec: ModelSpec = ModelSpec(), *, callbacks: Iterable = (),
          should_stop: Callable[[], bool] | None = None) -> Run:
    """Train to the end (or until ``should_stop()`` says so after an epoch) and return the Run.

    ``callbacks`` are objects with a Keras-style ``on_epoch_end(epoch, logs)``
    (epoch counted from 0, logs the record's metrics).
    """
    training = Training(data, spec)
    for record in training:
        logs = {k: v for k, v in record.items() if k != "epoch"}
        for callback in callbacks:
            callback.on_epoch_end(record["epoch"] - 1, logs)
        if should_stop is not None and should_stop():
            break
    return training.run()


def measure(network: Network, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Mean categorical cross-entropy and accuracy of ``network`` on raw ``X`` and one-hot ``y``."""
    logits = network.logits(X)
    return float(cross_entropy(logits, y).mean()), float((logits.argmax(1) == y.argmax(1)).mean())
