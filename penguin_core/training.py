"""The lesson's training: prepared data and a ``ModelSpec`` trained by the engine, ending as a ``Run``.

    training = Training(prepare(DataSpec()), ModelSpec())
    for record in training: ...          # one epoch a record (the engine's ``Fit``)
    run = training.run()                 # the run so far, with its test metrics

The arithmetic is the engine's (``engine.Fit``); this adds what a run is: the data it came from, its test
set's score, the profile Predict warns with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from penguin_core.engine import Arrays, Fit, measure
from penguin_core.model import ModelSpec
from penguin_core.preparation import PreparedData
from penguin_core.run import Run


def arrays_of(data: PreparedData) -> Arrays:
    """The engine's view of prepared data: float32 arrays of the training part (and validation part)."""
    X, y = data.arrays("train")
    validation = data.arrays("val") if data.X_val is not None else None
    return Arrays(X, y, validation, data.scaling, data.features, data.species)


class Training(Fit):
    """One run in progress on ``data`` with ``spec`` (PenguinError when the batch does not fit the data)."""

    def __init__(self, data: PreparedData, spec: ModelSpec = ModelSpec(), *, shuffle: bool = True):
        spec.check_batch_size(len(data.X_train))
        self.data = data
        super().__init__(arrays_of(data), spec, shuffle=shuffle)

    def again(self) -> "Training":
        """The same training from its start: the same data, settings and seed, so the same epochs."""
        return Training(self.data, self.spec, shuffle=self.shuffle)

    def run(self) -> Run:
        """The run so far, as a value: later epochs do not change it."""
        network, history, snapshots, seconds = self.so_far()
        test_loss, test_accuracy = measure(network, *self.data.arrays("test"))
        return Run(data_spec=self.data.spec, model_spec=self.spec, network=network, history=history,
                   test_metrics={"loss": test_loss, "accuracy": test_accuracy}, profile=Run.profile_of(self.data),
                   seconds=seconds, snapshots=snapshots)


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
