"""The batched engine against the same runs one after another, and against Keras, side by side in one process.

    python benchmarks/sweep.py [--repeats 5]

Two workloads, on the lesson's data (273 training rows, batch 32, 100 epochs: 900 gradient steps a run):
- a sweep of 24 runs: 8 hidden widths (4 to 64, below and above 32) x 3 seeds, in one ``train_together``
  call (target <= 0.5 s and >= 4x the same 24 runs trained one after another);
- 30 seeds of the lesson's model in one call (target <= 0.25 s and >= 8x one after another).
Both sides train exactly the same runs (the script checks every fingerprint matches). Medians over
``--repeats`` interleaved repeats. Keras ``fit`` for the same 24 runs is estimated from 3 timed fits
(widths 4, 16 and 64, building and compiling included, as a learner's cell does) and the ratio printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from penguin_core.engine.batch import train_together  # noqa: E402
from penguin_core.training import Training  # noqa: E402
from penguin_core.model import HiddenLayer, ModelSpec  # noqa: E402
from penguin_core.preparation import DataSpec, prepare  # noqa: E402

WIDTHS = (4, 8, 10, 16, 24, 32, 48, 64)


def one_after_another(data, specs) -> tuple[float, list[str]]:
    start = time.perf_counter()
    trainings = [Training(data, spec) for spec in specs]
    for training in trainings:
        for _ in training:
            pass
    return time.perf_counter() - start, [t.network.fingerprint() for t in trainings]


def batched(data, specs) -> tuple[float, list[str]]:
    start = time.perf_counter()
    trainings = [Training(data, spec) for spec in specs]
    train_together(trainings)
    return time.perf_counter() - start, [t.network.fingerprint() for t in trainings]


def keras_fit_seconds(data, width: int) -> float:
    from penguin_core.keras_model import import_keras

    keras = import_keras()
    start = time.perf_counter()
    inputs = keras.Input(shape=(data.X_train.shape[1],))
    hidden = keras.layers.Dense(width, activation="relu")(inputs)
    model = keras.Model(inputs=inputs, outputs=keras.layers.Dense(3, activation="softmax")(hidden))
    model.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.CategoricalCrossentropy())
    model.fit(data.X_train, data.y_train, epochs=100, batch_size=32, verbose=0)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-keras", action="store_true")
    args = parser.parse_args()
    data = prepare(DataSpec())
    workloads = {
        "sweep: 8 widths x 3 seeds (24 runs)": ([ModelSpec(hidden=(HiddenLayer(w),), seed=s) for w in WIDTHS
                                                 for s in (1, 2, 3)], 0.5, 4.0),
        "30 seeds of the lesson's model": ([ModelSpec(seed=s) for s in range(30)], 0.25, 8.0),
    }
    for name, (specs, target_seconds, target_ratio) in workloads.items():
        alone, together = [], []
        for _ in range(args.repeats):
            a, prints_a = one_after_another(data, specs)
            b, prints_b = batched(data, specs)
            assert prints_a == prints_b, "a batched run differs from the same run alone"
            alone.append(a)
            together.append(b)
        a, b = statistics.median(alone), statistics.median(together)
        print(f"{name}: {len(specs) * 900:,} gradient steps on each side, every fingerprint identical")
        print(f"  one after another {a:6.3f} s   batched {b:6.3f} s (target <= {target_seconds} s)   "
              f"{a / b:5.1f}x (target >= {target_ratio}x)")
        if name.startswith("sweep") and not args.no_keras:
            fits = [keras_fit_seconds(data, w) for w in (4, 16, 64)]
            estimate = statistics.mean(fits) * len(specs)
            print(f"  Keras fit, estimated from 3 timed fits ({', '.join(f'{f:.1f}' for f in fits)} s): "
                  f"{estimate:6.1f} s for the 24 runs, {estimate / b:5.0f}x the batched engine")


if __name__ == "__main__":
    main()
