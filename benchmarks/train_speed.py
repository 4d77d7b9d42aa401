"""Training and prediction speed: the lesson's Keras code against penguin_core, side by side in one process.

    python benchmarks/train_speed.py [--repeats 3]

Prints each time, the gradient steps each side took, and the ratio. Both
sides train on the same 273 rows of the lesson's split for 100 epochs of
batch 32 (900 gradient steps each, counted from each optimizer): Keras as
the lesson's plain ``model.fit(X_train, y_train, epochs=100)``, the engine
doing more work, since it also measures the 69 test rows after every
epoch, as ``validation_data`` would. Target: at least 10x faster. Medians
over ``--repeats`` interleaved runs; each Keras run includes building and
compiling the model, as a learner's cell does.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import numpy as np  # noqa: E402

from penguin_core.keras_model import import_keras, to_keras  # noqa: E402
from penguin_core.model import ModelSpec  # noqa: E402
from penguin_core.prediction import predict_one  # noqa: E402
from penguin_core.preparation import DataSpec, prepare  # noqa: E402
from penguin_core.training import Training, train  # noqa: E402


def keras_fit_seconds(data, spec) -> tuple[float, int]:
    """The lesson's cells: build, compile, fit for 100 epochs; the time and the gradient steps taken."""
    keras = import_keras()
    start = time.perf_counter()
    inputs = keras.Input(shape=(data.X_train.shape[1],))
    hidden = keras.layers.Dense(10, activation="relu")(inputs)
    outputs = keras.layers.Dense(3, activation="softmax")(hidden)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.CategoricalCrossentropy())
    model.fit(data.X_train, data.y_train, epochs=spec.epochs, batch_size=spec.batch_size, verbose=0)
    return time.perf_counter() - start, int(model.optimizer.iterations)


def engine_seconds(data, spec) -> tuple[float, int]:
    """The engine on the same rows, also measuring the held-out rows every epoch; the time and its steps."""
    start = time.perf_counter()
    training = Training(data, spec)
    for _ in training:
        pass
    training.run()
    assert "val_loss" in training.history[-1]
    return time.perf_counter() - start, training.iterations


def with_test_rows_as_validation(data):
    """The lesson's split, its 69 test rows also measured after every epoch (Keras' validation_data)."""
    return dataclasses.replace(data, X_val=data.X_test, y_val=data.y_test)


def per_call_ms(function, calls: int) -> float:
    function()
    start = time.perf_counter()
    for _ in range(calls):
        function()
    return (time.perf_counter() - start) / calls * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    spec = ModelSpec()  # the lesson's: Dense(10, relu), Dense(3, softmax), adam, batch 32, 100 epochs
    lesson = prepare(DataSpec())
    with_validation = with_test_rows_as_validation(lesson)
    import_keras()  # not counted: both sides need Python up, only Keras needs this

    keras_runs, engine_runs = [], []
    for _ in range(args.repeats):  # interleaved, so both see the same machine load
        keras_runs.append(keras_fit_seconds(lesson, spec))
        engine_runs.append(engine_seconds(with_validation, spec))
    keras_t, engine_t = (statistics.median(t for t, _ in runs) for runs in (keras_runs, engine_runs))
    keras_steps, engine_steps = keras_runs[0][1], engine_runs[0][1]
    rows = len(lesson.X_train)
    print(f"100 epochs, lesson model, batch 32, {rows} training rows on both sides (median of {args.repeats})")
    print(f"  Keras model.fit (train loss only):            {keras_t:8.3f} s   {keras_steps} gradient steps")
    print(f"  penguin_core engine (+ 69 test rows measured): {engine_t:7.3f} s   {engine_steps} gradient steps")
    print(f"  speed-up:                                     {keras_t / engine_t:8.1f} x   (target at least 10x; "
          f"same steps: {'yes' if keras_steps == engine_steps else 'NO'})")

    run = train(lesson, spec)
    model = to_keras(run.network)
    x = lesson.X_test.to_numpy(np.float32)[:1]
    measurements = dict(zip(run.network.features, x[0].tolist()))
    predict_ms = per_call_ms(lambda: model.predict(x, verbose=0), 20)
    call_ms = per_call_ms(lambda: model(x), 50)
    ours_ms = per_call_ms(lambda: predict_one(run.network, measurements, run.profile), 500)
    print("one-penguin prediction")
    print(f"  Keras model.predict:                          {predict_ms:8.3f} ms")
    print(f"  Keras model called directly:                  {call_ms:8.3f} ms")
    print(f"  penguin_core predict_one (with its checks):   {ours_ms:8.3f} ms")
    print(f"  speed-up over model.predict:                  {predict_ms / ours_ms:8.0f} x")

    first = Training(with_validation, spec)
    start = time.perf_counter()
    list(first)
    first_t = time.perf_counter() - start
    for _ in range(50):
        train(with_validation, spec)
    start = time.perf_counter()
    train(with_validation, spec)
    later_t = time.perf_counter() - start
    print(f"training again in the same process: run 52 took {later_t / first_t:.2f}x the time of run 1")


if __name__ == "__main__":
    main()
