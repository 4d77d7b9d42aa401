"""Watch a training while it runs: redraw often enough to see it, never so often that drawing slows the server.

The engine takes about a millisecond an epoch; drawing a chart takes ten or
more. ``watch`` redraws only while the CPU time spent drawing stays within
``budget`` (20%) of the CPU time the job spent training, and at most every
``min_interval`` seconds. A paced job (slow motion) counts its pauses as
training time, so drawing fits into them.
"""

from __future__ import annotations

import time
from collections.abc import Callable


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


def watch(job, draw: Callable[[object], None], *, budget: float = 0.2, min_interval: float = 0.25,
          quiet: float = 0.4, clock=time.monotonic, cpu_clock=time.thread_time) -> Throttle:
    """Call ``draw(job)`` while ``job`` (a queued TrainingJob) waits or trains, when affordable, and once at the end.

    Nothing is drawn in the first ``quiet`` seconds: most runs end by then, and
    their frames would only cost the server (a class's clicks most of all).
    While the job waits in line, ``draw`` is called every ``min_interval`` (to
    show its place); an exception from ``draw`` (the page being left) ends the
    watching, never the job.
    """
    throttle = Throttle(budget, min_interval)
    throttle.last_draw_at = clock() + quiet - min_interval  # the first frame comes ``quiet`` seconds from now
    seen_cpu, seen_epochs = 0.0, 0
    while not job.finished:
        job.wait(min_interval)
        now, shown = clock(), job.visible()
        throttle.trained(max(job.cpu_seconds - seen_cpu, (shown - seen_epochs) * (job.pace or 0.0)))
        seen_cpu, seen_epochs = job.cpu_seconds, shown
        waiting = job.state == "waiting" and now - throttle.last_draw_at >= min_interval
        last = shown >= job.spec.epochs  # the final frame comes after the loop
        if not job.finished and not last and (waiting or throttle.should_draw(now)):
            start = cpu_clock()
            draw(job)
            throttle.drew(cpu_clock() - start, clock())
    draw(job)
    return throttle
