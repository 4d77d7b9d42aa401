"""What live drawing costs training: the engine alone against the Train page's throttled redraws.

    python benchmarks/live_drawing.py

The training runs in the server's queue (a trainer thread) and the watcher
redraws from the page's thread, as on the Train page; a redraw does what the
page's does on the server: build the Plotly curves and serialize them
(Streamlit sends the figure as JSON). Target: drawing costs at most 20% of
the training's CPU time, while a run long enough to watch still gets several
frames; the same runs trained with nobody watching are timed beside them.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from plotly.io import to_json  # noqa: E402

from penguin_core.figures import training_curves  # noqa: E402
from penguin_core.server.queue import TrainingQueue  # noqa: E402
from penguin_core.live import watch  # noqa: E402
from penguin_core.model import ModelSpec  # noqa: E402
from penguin_core.preparation import DataSpec, prepare  # noqa: E402
from penguin_core.training import Training  # noqa: E402


def main() -> None:
    data = prepare(DataSpec(validation_size=0.2))
    to_json(training_curves([("warm-up", [{"epoch": 1, "loss": 1.0, "accuracy": 0.5}])]).to_dict(), validate=False)
    queue = TrainingQueue(slots=1)
    print(f"{'epochs':>7} {'alone':>9} {'with drawing':>13} {'frames':>7} {'drawing/training':>17}")
    for epochs in (100, 1000, 3000):
        spec = ModelSpec(epochs=epochs)

        def draw(job):
            to_json(training_curves([("run", job.history())], epochs).to_dict(), validate=False)  # as Streamlit does

        alone, live, frames, shares = [], [], 0, []
        for _ in range(3):  # interleaved, medians: the machine is shared
            start = time.perf_counter()
            list(Training(data, spec))
            alone.append(time.perf_counter() - start)
            start = time.perf_counter()
            throttle = watch(queue.submit(Training(data, spec)), draw)
            live.append(time.perf_counter() - start)
            frames = throttle.draws
            shares.append(throttle.drawing_seconds / throttle.training_seconds)
        alone_s, live_s = statistics.median(alone), statistics.median(live)
        print(f"{epochs:>7} {alone_s:>8.3f}s {live_s:>12.3f}s {frames:>7} {statistics.median(shares):>17.0%}")
    print("frames: redraws while training; 'with drawing' also includes the final frame drawn after the last epoch;")
    print("drawing/training: CPU time spent redrawing while training over CPU time training (target <= 20%)")


if __name__ == "__main__":
    main()
