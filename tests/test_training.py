import threading

import numpy as np
import pytest

from penguin_core.errors import PenguinError
from penguin_core.keras_model import import_keras, to_keras
from penguin_core.model import HiddenLayer, ModelSpec
from penguin_core.preparation import DataSpec, prepare
from penguin_core.training import Training, train


def same_run(a, b):
    assert a.history == b.history and a.network.fingerprint() == b.network.fingerprint()
    for x, y in zip(a.network.kernels + a.network.biases, b.network.kernels + b.network.biases):
        np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("optimizer, hidden, momentum", [
    ("adam", (HiddenLayer(10, "relu"),), 0.0),
    ("sgd", (HiddenLayer(8, "tanh"), HiddenLayer(6, "sigmoid")), 0.0),
    ("sgd", (HiddenLayer(8, "relu"),), 0.9),
    ("rmsprop", (HiddenLayer(7, "elu"), HiddenLayer(5, "selu")), 0.0),
    ("adagrad", (HiddenLayer(6, "softplus"), HiddenLayer(4, "linear")), 0.0),
])
def test_engine_follows_keras_fit_step_for_step(scaled_data, optimizer, hidden, momentum):
    """Same starting weights, same batch order: the engine and Keras fit end at the same weights."""
    keras = import_keras()
    spec = ModelSpec(hidden=hidden, optimizer=optimizer, learning_rate=0.01, momentum=momentum, epochs=3,
                     batch_size=32)
    training = Training(scaled_data, spec, shuffle=False)
    model = to_keras(training.network)
    config = {"learning_rate": 0.01, **({"momentum": momentum} if optimizer == "sgd" else {})}
    model.compile(optimizer=keras.optimizers.get({"class_name": optimizer, "config": config}),
                  loss=keras.losses.CategoricalCrossentropy(), metrics=["accuracy"])
    X, y = scaled_data.arrays("train")
    keras_history = model.fit(X, y, batch_size=32, epochs=3, shuffle=False, verbose=0,
                              validation_data=scaled_data.arrays("val")).history
    ours = list(training)
    np.testing.assert_allclose([r["loss"] for r in ours], keras_history["loss"], rtol=2e-5)
    np.testing.assert_allclose([r["val_loss"] for r in ours], keras_history["val_loss"], rtol=2e-5)
    np.testing.assert_allclose([r["accuracy"] for r in ours], keras_history["accuracy"], atol=1 / len(X))
    theirs = model.get_weights()
    mine = [w for pair in zip(training.network.kernels, training.network.biases) for w in pair]
    for a, b in zip(mine, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_unscaled_lesson_run_matches_keras_too(lesson_data):
    """The lesson's default: raw grams and millimetres, a loss in the hundreds, computed from logits."""
    keras = import_keras()
    training = Training(lesson_data, ModelSpec(epochs=2), shuffle=False)
    model = to_keras(training.network)
    model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy())
    keras_loss = model.fit(*lesson_data.arrays("train"), epochs=2, shuffle=False, verbose=0).history["loss"]
    ours = [r["loss"] for r in training]
    assert ours[0] > 100
    np.testing.assert_allclose(ours, keras_loss, rtol=1e-4)


def test_every_epoch_is_reported_with_train_and_validation_metrics(scaled_data):
    calls = []

    class Recorder:
        def on_epoch_end(self, epoch, logs):
            calls.append((epoch, logs))

    run = train(scaled_data, ModelSpec(epochs=5), callbacks=[Recorder()])
    assert [epoch for epoch, _ in calls] == [0, 1, 2, 3, 4]
    assert set(calls[0][1]) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert [r["epoch"] for r in run.history] == [1, 2, 3, 4, 5]
    assert run.history[-1]["loss"] < run.history[0]["loss"]


def test_standardized_lesson_model_learns_all_three_species(scaled_data):
    run = train(scaled_data, ModelSpec())
    assert run.test_metrics["accuracy"] > 0.9
    assert run.history[-1]["val_accuracy"] > 0.9


def test_stopping_between_epochs_keeps_the_model_trained_so_far(scaled_data):
    run = train(scaled_data, ModelSpec(epochs=50), should_stop=lambda: True)
    assert run.epochs_done == 1 and run.stopped_early
    training = Training(scaled_data, ModelSpec(epochs=50))
    for record in training:
        if record["epoch"] == 7:
            break
    partial = training.run()
    assert partial.epochs_done == 7 and partial.stopped_early
    assert partial.test_metrics["accuracy"] > 0
    next(iter(training))  # training on does not change the snapshot already taken
    assert partial.epochs_done == 7 and len(training.history) == 8
    assert not np.array_equal(partial.network.kernels[0], training.network.kernels[0])


def test_same_seed_gives_bit_identical_runs_and_another_seed_does_not(scaled_data):
    spec = ModelSpec(epochs=20)
    same_run(train(scaled_data, spec), train(scaled_data, spec))
    other = train(scaled_data, spec.replace(seed=3))
    assert other.history != train(scaled_data, spec).history
    assert other.network.fingerprint() != train(scaled_data, spec).network.fingerprint()


def test_runs_in_parallel_threads_equal_runs_alone(scaled_data):
    specs = [ModelSpec(epochs=40, seed=s) for s in (1, 2, 1, 2)]
    alone = [train(scaled_data, spec) for spec in specs]
    together = [None] * len(specs)
    barrier = threading.Barrier(len(specs))

    def work(i):
        barrier.wait()
        np.random.seed(i)  # a careless neighbour touching global state must not matter
        together[i] = train(scaled_data, specs[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(specs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for a, b in zip(alone, together):
        same_run(a, b)


def test_batch_size_larger_than_the_training_set_is_explained(lesson_data):
    with pytest.raises(PenguinError, match="Batch size 500 is larger than the 273 training penguins"):
        Training(lesson_data, ModelSpec(batch_size=500))


def test_many_trainings_do_not_grow_memory(scaled_data):
    def rss_mb():
        with open("/proc/self/statm") as f:
            import os
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    for _ in range(5):
        train(scaled_data, ModelSpec(epochs=20))
    before = rss_mb()
    for _ in range(200):
        train(scaled_data, ModelSpec(epochs=20))
    assert rss_mb() - before < 100


def test_without_scaling_nothing_is_fed_through_a_normalization(lesson_data):
    run = train(lesson_data, ModelSpec(epochs=1))
    assert run.network.scaling is None and run.data_spec == DataSpec()
    assert prepare(DataSpec(standardize=True)).scaling is not None
