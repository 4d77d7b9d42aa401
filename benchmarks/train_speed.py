"""Training and prediction speed: the lesson's Keras code against penguin_core, side by side in one process.

    python benchmarks/train_speed.py [--repeats 3]

Prints each time and the ratio. The lesson's baseline is its plain
``model.fit(X_train, y_train, epochs=100)`` (batch 32, no validation); the
engine does more work (train *and* validation metrics every epoch) and must
still be at least 10x faster. Medians over ``--repeats`` interleaved runs;
each Keras run includes building and compiling the model, as a learner's cell does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from penguin_core.keras_model import import_keras, to_keras  # noqa: E402
from penguin_core.model import ModelSpec  # noqa: E402
from penguin_core.prediction import predict_one  # noqa: E402
from penguin_core.preparation import DataSpec, prepare  # noqa: E402
from penguin_core.training import Training, train  # noqa: E402


def keras_fit_seconds(data, spec) -> float:
    """The lesson's cells: build, compile, fit for 100 epochs."""
    keras = import_keras()
    start = time.perf_counter()
    inputs = keras.Input(shape=(data.X_train.shape[1],))
    hidden = keras.layers.Dense(10, activation="relu")(inputs)
    outputs = keras.layers.Dense(3, activation="softmax")(hidden)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.CategoricalCrossentropy())
    model.fit(data.X_train, data.y_train, epochs=spec.epochs, batch_size=spec.batch_size, verbose=0)
    return time.perf_counter() - start


def engine_seconds(data, spec) -> float:
    start = time.perf_counter()
    run = train(data, spec)
    assert "val_loss" in run.history[-1] and "accuracy" in run.history[-1]
    return time.perf_counter() - start


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
    with_validation = prepare(DataSpec(validation_size=0.2))
    import_keras()  # not counted: both sides need Python up, only Keras needs this

    keras_times, engine_times = [], []
    for _ in range(args.repeats):  # interleaved, so both see the same machine load
        keras_times.append(keras_fit_seconds(lesson, spec))
        engine_times.append(engine_seconds(with_validation, spec))
    keras_t, engine_t = statistics.median(keras_times), statistics.median(engine_times)
    print(f"100 epochs, lesson model, batch 32 (median of {args.repeats})")
    print(f"  Keras model.fit (train loss only):            {keras_t:8.3f} s")
    print(f"  penguin_core engine (train + validation):     {engine_t:8.3f} s")
    print(f"  speed-up:                                     {keras_t / engine_t:8.1f} x")

    run = train(with_validation, spec)
    model = to_keras(run.network)
    x = with_validation.X_test.to_numpy(np.float32)[:1]
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
