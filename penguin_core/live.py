"""Train while a page watches: redraw progress often enough to see it, never so often that it slows training.

The engine takes about a millisecond an epoch; drawing a chart takes ten or
more. ``train_live`` redraws only while the time spent drawing stays within
``budget`` (20%) of the time spent training, and at most every
``min_interval`` seconds. An optional ``seconds`` paces the run for a class to
follow (the pause counts as training time, so drawing fits into it).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from penguin_core.training import Training


class Throttle:
    """Bookkeeping of the CPU time spent training and drawing; says when a redraw is affordable.

    CPU time, not wall time: when 30 learners train at once, every epoch takes
    longer on the clock, and a wall-clock budget would let each page redraw
    far more often just when the server can least afford it.
    """

    def __init__(self, budget: float = 0.2, min_interval: float = 0.25, first_draw_cost: float = 0.02):
        self.budget, self.min_interval = budget, min_interval
        self.training_seconds = self.drawing_seconds = 0.0
        self.last_draw_cost = first_draw_cost  # a guess until the first draw is measured
        self.last_draw_at = float("-inf")
        self.draws = 0

    def trained(self, seconds: float) -> None:
        self.training_seconds += seconds

    def should_draw(self, now: float) -> bool:
        expected = self.drawing_seconds + self.last_draw_cost
        return now - self.last_draw_at >= self.min_interval and expected <= self.budget * self.training_seconds

    def drew(self, seconds: float, now: float) -> None:
        self.drawing_seconds += seconds
        self.last_draw_cost = seconds
        self.last_draw_at = now
        self.draws += 1


def train_live(training: Training, draw: Callable[[Training], None], *, seconds: float | None = None,
               budget: float = 0.2, min_interval: float = 0.25, clock=time.perf_counter, cpu_clock=time.thread_time,
               sleep=time.sleep) -> Throttle:
    """Run ``training`` to its end, calling ``draw(training)`` when the throttle allows and once at the end.

    ``seconds`` spreads the run over about that long on the clock (slow motion
    for a demo; the pauses count as training time, so drawing fits into them).
    ``training.request_stop()`` from another thread, or an exception from
    ``draw`` (a page being left), ends training where it is; the Training
    keeps every finished epoch.
    """
    throttle = Throttle(budget, min_interval)
    pace = seconds / training.spec.epochs if seconds else 0.0
    while not training.done and not training.stop_requested:
        start, cpu_start = clock(), cpu_clock()
        training.epoch()
        spent = clock() - start
        throttle.trained(max(cpu_clock() - cpu_start, pace))
        cost = 0.0
        if throttle.should_draw(clock()) and not training.done:
            start, cpu_start = clock(), cpu_clock()
            draw(training)
            cost = clock() - start
            throttle.drew(cpu_clock() - cpu_start, clock())
        if spent + cost < pace:
            sleep(pace - spent - cost)
    if not training.stop_requested:  # a stopped run's page has been replaced: nobody to draw for
        draw(training)
    return throttle
