"""Watching a queued training: drawing stays a small share of the training, and a long run is still watched."""

import time

from penguin_core.server.queue import TrainingQueue
from penguin_core.training import Training
from penguin_core.live import Throttle, watch
from penguin_core.model import ModelSpec


class CostlyDraw:
    """A draw that burns ``cost`` seconds of CPU, as a Plotly chart does."""

    def __init__(self, cost):
        self.cost, self.frames = cost, []

    def __call__(self, job):
        if job.state == "waiting":  # a place-in-line notice, not a frame of the run
            return
        end = time.thread_time() + self.cost
        while time.thread_time() < end:
            pass
        self.frames.append(job.visible())


def test_drawing_costs_at_most_a_fifth_of_training_time(scaled_data):
    job = TrainingQueue(slots=1).submit(Training(scaled_data, ModelSpec(epochs=3000)))
    draw = CostlyDraw(0.03)
    throttle = watch(job, draw)
    assert throttle.drawing_seconds <= 0.2 * throttle.training_seconds + draw.cost  # the final frame is free
    assert len(draw.frames) >= 4  # a long run is still watched: several frames while training
    assert draw.frames[-1] == 3000 and draw.frames == sorted(draw.frames)


class ScriptedJob:
    """A job whose progress is scripted: each wait trains ``per_wait`` epochs costing ``epoch_cpu`` CPU-seconds each.

    The real queue's timing depends on the machine; the throttle's decision must not.
    """

    def __init__(self, epochs, per_wait, epoch_cpu):
        self.spec = ModelSpec(epochs=epochs)
        self.per_wait, self.epoch_cpu = per_wait, epoch_cpu
        self.trained, self.pace, self.state = 0, None, "training"

    cpu_seconds = property(lambda self: self.trained * self.epoch_cpu)
    finished = property(lambda self: self.trained >= self.spec.epochs)

    def wait(self, timeout):
        self.trained = min(self.spec.epochs, self.trained + self.per_wait)
        self.state = "done" if self.finished else "training"

    def visible(self):
        return self.trained


def test_a_short_run_is_drawn_once_at_the_end():
    """50 epochs of a millisecond: a 30 ms chart mid-run would cost more than a fifth of the training."""
    job = ScriptedJob(epochs=50, per_wait=10, epoch_cpu=0.001)
    draw = CostlyDraw(0.03)
    watch(job, draw, min_interval=0.0)
    assert draw.frames == [50]


def test_a_long_run_is_drawn_while_it_trains():
    job = ScriptedJob(epochs=3000, per_wait=100, epoch_cpu=0.001)
    draw = CostlyDraw(0.03)
    throttle = watch(job, draw, min_interval=0.0, quiet=0.0)
    assert len(draw.frames) >= 10 and draw.frames[-1] == 3000
    assert throttle.drawing_seconds <= 0.2 * throttle.training_seconds + draw.cost


def test_a_run_over_within_the_quiet_start_is_drawn_once_at_its_end(scaled_data):
    """Most Train clicks end within a few tenths of a second: their frames would only cost the server."""
    job = TrainingQueue(slots=1).submit(Training(scaled_data, ModelSpec(epochs=20)))
    draw = CostlyDraw(0.0)
    watch(job, draw, min_interval=0.0, quiet=5.0)
    assert draw.frames == [20]


def test_a_short_run_on_the_real_queue_ends_with_its_final_frame(scaled_data):
    job = TrainingQueue(slots=1).submit(Training(scaled_data, ModelSpec(epochs=50)))
    draw = CostlyDraw(0.03)
    throttle = watch(job, draw)
    assert draw.frames[-1] == 50 and draw.frames == sorted(draw.frames)
    assert throttle.drawing_seconds <= 0.2 * throttle.training_seconds + draw.cost


def test_slow_motion_shows_the_run_over_the_time_asked(scaled_data):
    job = TrainingQueue(slots=1).submit(Training(scaled_data, ModelSpec(epochs=100)), pace=2.0 / 100)
    draw = CostlyDraw(0.01)
    start = time.monotonic()
    watch(job, draw)
    assert 1.9 < time.monotonic() - start < 3.0
    assert len(draw.frames) >= 5 and draw.frames == sorted(draw.frames)


def test_a_waiting_job_is_drawn_with_its_place_in_line(scaled_data):
    queue = TrainingQueue(slots=1)
    blocker = queue.submit(Training(scaled_data, ModelSpec(epochs=4000)), owner="a")
    while blocker.state == "waiting":
        blocker.wait(0.05)
    waiting = queue.submit(Training(scaled_data, ModelSpec(epochs=5)), owner="b")
    seen = []

    def draw(job):
        seen.append((job.state, queue.place(job)))
        if len(seen) == 3:
            blocker.request_stop()

    watch(waiting, draw)
    assert seen[0] == ("waiting", 1) and seen[-1][0] == "done"


def test_throttle_waits_for_the_minimum_interval():
    throttle = Throttle(budget=1.0, min_interval=0.25)
    throttle.trained(1.0)
    assert throttle.should_draw(now=10.0)
    throttle.drew(0.01, now=10.0)
    throttle.trained(0.1)
    assert not throttle.should_draw(now=10.1)
    assert throttle.should_draw(now=10.3)


def test_a_busy_server_does_not_buy_more_frames():
    """Thirty learners at once: each epoch takes ten times longer on the clock but not in CPU time."""
    throttle = Throttle(budget=0.2, min_interval=0.25)
    for epoch in range(1000):
        throttle.trained(0.001)  # CPU time of an epoch
        now = epoch * 0.01  # wall clock: 10 ms an epoch on a crowded server
        if throttle.should_draw(now):
            throttle.drew(0.03, now)
    assert throttle.drawing_seconds <= 0.2 * throttle.training_seconds


def test_leaving_the_page_ends_the_watching_not_the_training(scaled_data):
    """Stop, a click elsewhere or leaving the page raise inside draw(): the job trains on in the queue."""
    job = TrainingQueue(slots=1).submit(Training(scaled_data, ModelSpec(epochs=400)))

    def draw(job):
        raise KeyboardInterrupt("the page was left")

    try:
        watch(job, draw, min_interval=0.0, budget=10.0)
    except KeyboardInterrupt:
        pass
    while not job.finished:
        job.wait(0.05)
    assert job.state == "done" and job.result().epochs_done == 400
