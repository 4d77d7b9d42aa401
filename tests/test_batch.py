"""The batched engine: many runs in one stacked computation, each bit-identical to the run trained alone."""

import dataclasses

import numpy as np
import pytest

from penguin_core.engine.batch import Batch, batch_key, train_together
from penguin_core.training import Training
from penguin_core.model import HiddenLayer, ModelSpec
from penguin_core.preparation import DataSpec, prepare


def alone(data, spec):
    training = Training(data, spec)
    for _ in training:
        pass
    return training


def assert_same_run(batched, single):
    assert batched.history == single.history
    assert batched.network.fingerprint() == single.network.fingerprint()
    assert sorted(batched.snapshots.kept) == sorted(single.snapshots.kept)
    for epoch, (kernels, biases) in single.snapshots.kept.items():
        other = batched.snapshots.kept[epoch]
        assert all(np.array_equal(a, b) for a, b in zip((*kernels, *biases), (*other[0], *other[1])))


@pytest.mark.parametrize("standardize", [False, True])
def test_widths_below_and_above_32_in_one_batch_are_bit_identical_to_each_alone(standardize):
    data = prepare(DataSpec(standardize=standardize))
    specs = [ModelSpec(hidden=(HiddenLayer(w),), seed=s, epochs=25) for w in (3, 10, 31, 33, 64) for s in (1, 2)]
    specs.append(ModelSpec(hidden=(HiddenLayer(12, "tanh"), HiddenLayer(40, "sigmoid")), epochs=25))
    trainings = [Training(data, spec) for spec in specs]
    sizes = []
    original = Batch.epoch

    def counting(batch):
        sizes.append(len(batch.runs))
        return original(batch)

    Batch.epoch = counting
    try:
        train_together(trainings)
    finally:
        Batch.epoch = original
    assert set(sizes) == {len(specs)}  # one batch for all eleven runs, six shapes
    for training in trainings:
        assert_same_run(training, alone(data, training.spec))


def test_every_optimizer_learning_rate_and_validation_in_one_call():
    data = prepare(DataSpec(standardize=True, validation_size=0.2))
    specs = [ModelSpec(optimizer=o, learning_rate=lr, epochs=12, batch_size=16)
             for o in ("adam", "sgd", "rmsprop", "adagrad") for lr in (0.001, 0.05)]
    specs += [ModelSpec(optimizer="sgd", learning_rate=lr, momentum=m, epochs=12, batch_size=16)
              for lr in (0.001, 0.05) for m in (0.5, 0.9)]  # with momentum: a batch of their own
    trainings = [Training(data, spec) for spec in specs]
    train_together(trainings)
    for training in trainings:
        assert "val_loss" in training.history[-1]
        assert_same_run(training, alone(data, training.spec))


def test_runs_of_different_epochs_leave_the_batch_when_done():
    data = prepare(DataSpec())
    trainings = [Training(data, ModelSpec(epochs=e, seed=e)) for e in (5, 17, 30)]
    train_together(trainings)
    assert [len(t.history) for t in trainings] == [5, 17, 30]
    for training in trainings:
        assert_same_run(training, alone(data, training.spec))


def test_runs_that_cannot_step_together_are_trained_in_separate_batches():
    data, other = prepare(DataSpec()), prepare(DataSpec(test_size=0.3))
    trainings = [Training(data, ModelSpec(epochs=8, batch_size=b)) for b in (16, 32)] + [Training(other, ModelSpec(epochs=8))]
    assert len({batch_key(t) for t in trainings}) == 3
    with pytest.raises(ValueError):
        Batch(trainings)
    train_together(trainings)
    for training in trainings:
        assert_same_run(training, alone(training.data, training.spec))


def test_a_run_trains_alone_then_with_others_then_alone_as_if_always_alone():
    data = prepare(DataSpec(standardize=True))
    first = Training(data, ModelSpec(epochs=30))
    for _ in range(10):
        first.epoch()
    companions = [Training(data, ModelSpec(epochs=30, seed=s)) for s in (5, 6)]
    for _ in range(10):
        companions[0].epoch(), companions[1].epoch()
    train_together([first, *companions], until=lambda t: 20)
    assert [len(t.history) for t in (first, *companions)] == [20, 20, 20]
    snapshot = first.network_now()
    for _ in first:
        pass
    single = alone(data, ModelSpec(epochs=30))
    assert_same_run(first, single)
    assert snapshot.fingerprint() == single.network_at(20)[0].fingerprint()


def test_stop_takes_one_run_out_of_its_batch():
    data = prepare(DataSpec())
    trainings = [Training(data, ModelSpec(epochs=40, seed=s)) for s in range(3)]

    def stop_the_first(runs):
        if len(trainings[0].history) == 7:
            trainings[0].request_stop()

    train_together(trainings, after_epoch=stop_the_first)
    assert [len(t.history) for t in trainings] == [7, 40, 40]
    assert trainings[0].run().network.fingerprint() == alone(data, ModelSpec(epochs=7, seed=0)).network.fingerprint()
    assert_same_run(trainings[2], alone(data, dataclasses.replace(trainings[2].spec)))
