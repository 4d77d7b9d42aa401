"""The training budget's estimate beside the measured cost, for settings from the lesson's to the largest.

    python benchmarks/budget.py

For each setting, trains a few epochs, measures CPU seconds per gradient
step, and prints the whole run's measured cost beside
``penguin_core.server.budget.training_cost``'s estimate (target: within a
factor of 2 either way, so the limit means what it says), and whether the
server would accept it.
"""

from __future__ import annotations

import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from penguin_core.server.budget import MAX_SECONDS, training_cost  # noqa: E402
from penguin_core.training import Training  # noqa: E402
from penguin_core.model import HiddenLayer, ModelSpec  # noqa: E402
from penguin_core.preparation import DataSpec, prepare  # noqa: E402

SETTINGS = [
    ("the lesson's", ModelSpec()),
    ("lesson, 5000 epochs", ModelSpec(epochs=5000)),
    ("lesson, batch 1, 5000 epochs", ModelSpec(batch_size=1, epochs=5000)),
    ("2 x 64, 500 epochs", ModelSpec(hidden=(HiddenLayer(64),) * 2, epochs=500)),
    ("2 x 256, batch 8, 1000 epochs", ModelSpec(hidden=(HiddenLayer(256),) * 2, batch_size=8, epochs=1000)),
    ("4 x 256, batch 32, 500 epochs", ModelSpec(hidden=(HiddenLayer(256),) * 4, epochs=500)),
    ("4 x 256, batch 1, 5000 epochs", ModelSpec(hidden=(HiddenLayer(256),) * 4, batch_size=1, epochs=5000)),
]


def measured_seconds(data, spec: ModelSpec, budget: float = 1.0) -> float:
    """CPU seconds the whole run would take, from as many epochs as fit in about ``budget`` seconds."""
    training = Training(data, spec)
    start, epochs = time.process_time(), 0
    while time.process_time() - start < budget and epochs < spec.epochs:
        training.epoch()
        epochs += 1
    return (time.process_time() - start) / epochs * spec.epochs


def main() -> None:
    data = prepare(DataSpec(standardize=True))
    n, features = len(data.X_train), len(data.features)
    print(f"{'setting':32s} {'steps':>10s} {'params':>8s} {'estimate':>10s} {'measured':>10s} {'ratio':>6s}  server")
    worst = 1.0
    for name, spec in SETTINGS:
        cost = training_cost(spec, n, features)
        seconds = measured_seconds(data, spec)
        ratio = cost.seconds / seconds
        worst = max(worst, ratio, 1 / ratio)
        verdict = "accepted" if cost.seconds <= MAX_SECONDS else "refused"
        print(f"{name:32s} {cost.steps:10,d} {cost.parameters:8,d} {cost.seconds:9.1f}s {seconds:9.1f}s "
              f"{ratio:6.2f}  {verdict}")
    print(f"worst estimate off by {worst:.2f}x (target within 2x); the limit is {MAX_SECONDS:.0f} s a run "
          f"({math.floor(os.cpu_count() or 1)} cores here)")


if __name__ == "__main__":
    main()
