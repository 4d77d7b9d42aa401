"""The server's training queue: a few trainings at a time, the others wait their turn in order.

Every learner's Train click becomes a ``TrainingJob``. At most ``slots``
jobs train at once (about one per core); the rest wait and can say how many
are ahead of them. An owner (a learner's lab) has one job at a time: a new
one stops the one before. Jobs are served fairly by *client* (what the
server can tell apart: see ``clients``): each client's first waiting job
before anyone's second, counting those it has training, first come, first
served among equals; and a client never holds every slot when there are
two or more, so four tabs of one person cannot make another learner wait
for all four. A job
trains at full speed in a queue thread and publishes each epoch; a page
watches it and draws. Slow motion is a job with a ``pace``: its epochs are
shown one after another at that pace, and a Stop keeps the model at the
epoch shown (trained again up to there from the same seed, so bit for bit
the same weights).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import Counter, deque

from penguin_core.engine.batch import batch_key, train_together
from penguin_core.errors import PenguinError
from penguin_core.server.budget import MAX_SECONDS, check_budget

log = logging.getLogger(__name__)

MAX_BATCH = 32
"""At most this many waiting jobs are trained together in one batch."""
GATHER_SECONDS = 0.03
"""A free trainer waits this long for more jobs to join the first in line (one Train click alone: 30 ms more),
and as long again after each job that joins (a class's clicks arrive over a few tenths of a second)..."""
GATHER_LIMIT = 0.25
"""... but never longer than this in all."""
PUBLISH_SECONDS = 0.05
"""Pages watching a job are woken at most this often (and at its last epoch)."""


class TrainingJob:
    """One run asked for. ``state`` goes waiting → training → done (or stopped, or failed)."""

    def __init__(self, training, owner: object = None, pace: float | None = None, on_end=None,
                 until: int | None = None, client: object = None):
        self.training, self.owner, self.pace, self.on_end = training, owner, pace, on_end
        self.client = owner if client is None else client
        self.until = training.spec.epochs if until is None else min(until, training.spec.epochs)
        self.state = "waiting"
        self.started: float | None = None  # when its first epoch began (the clock a paced job is shown by)
        self.cpu_seconds = 0.0
        self.stopped_at: int | None = None  # the epoch shown when a paced job was stopped
        self.kept = None  # the Run its owner kept it as
        self._changed = threading.Condition()

    @property
    def spec(self):
        return self.training.spec

    @property
    def trained(self) -> int:
        """Epochs computed so far."""
        return len(self.training.history)

    def visible(self, now: float | None = None) -> int:
        """Epochs the learner may see: all computed ones, or for a paced job those whose time has come."""
        if self.stopped_at is not None:
            return self.stopped_at
        if self.pace is None or self.started is None:
            return self.trained
        now = time.monotonic() if now is None else now
        return min(self.trained, int((now - self.started) / self.pace))

    @property
    def finished(self) -> bool:
        """Nothing more will be shown: stopped, failed, or done and (when paced) shown to the end."""
        return self.state in ("stopped", "failed") or (self.state == "done" and self.visible() >= self.trained)

    def seconds_left(self) -> float:
        """Until a paced job has shown its last epoch (0 for one shown as fast as it trains)."""
        if self.pace is None or self.started is None:
            return 0.0
        return max(0.0, self.started + self.trained * self.pace - time.monotonic())

    def history(self) -> list[dict]:
        return self.training.history[:self.visible()]

    def request_stop(self) -> None:
        """Stop: a waiting job never starts; a training one ends after its epoch; a paced one keeps what is shown."""
        with self._changed:
            if self.state == "waiting":
                self.state = "stopped"
            elif self.pace is not None and self.stopped_at is None and not self.finished:
                self.stopped_at = self.visible()
                if self.state == "done":
                    self.state = "stopped"
            self.training.request_stop()
            self._changed.notify_all()

    def wait(self, timeout: float) -> None:
        """Return after the next epoch or change of state, or after ``timeout`` seconds."""
        with self._changed:
            self._changed.wait(timeout)

    def result(self):
        """The Run as the learner saw it end (None when no epoch was shown)."""
        shown = self.visible()
        if shown == 0:
            return None
        if shown < self.trained:  # a paced job stopped mid-way: the weights at that epoch, exactly
            return _train_epochs(self.training, shown)
        return self.training.run()

class SweepJob:
    """Many trainings asked for at once (a sweep): one job of its owner, trained in batches where they can.

    ``state`` goes waiting → training → done (or stopped, or failed); Stop ends every run after its epoch.
    """

    def __init__(self, trainings: list, owner: object = None, on_end=None, client: object = None):
        self.trainings, self.owner, self.pace, self.on_end = list(trainings), owner, None, on_end
        self.client = owner if client is None else client
        self.state = "waiting"
        self.cpu_seconds = 0.0
        self._changed = threading.Condition()

    @property
    def finished(self) -> bool:
        return self.state in ("done", "stopped", "failed")

    def progress(self) -> tuple[int, int]:
        """(epochs trained, epochs asked for) over every run of the sweep."""
        return sum(len(t.history) for t in self.trainings), sum(t.spec.epochs for t in self.trainings)

    def request_stop(self) -> None:
        with self._changed:
            if self.state == "waiting":
                self.state = "stopped"
            for training in self.trainings:
                training.request_stop()
            self._changed.notify_all()

    def wait(self, timeout: float) -> None:
        with self._changed:
            self._changed.wait(timeout)

    def _run(self) -> None:
        with self._changed:
            if self.state != "waiting":
                return
            self.state = "training"
        clock = [time.thread_time()]

        def publish(_) -> None:
            with self._changed:
                now = time.thread_time()
                self.cpu_seconds, clock[0] = self.cpu_seconds + now - clock[0], now
                self._changed.notify_all()

        try:
            train_together(self.trainings, after_epoch=publish)
            final = "stopped" if any(t.stop_requested and not t.done for t in self.trainings) else "done"
        except Exception:  # a bug in the engine: the learner gets a message, the log the traceback
            log.exception("sweep failed")
            final = "failed"
        with self._changed:
            self.state = final
            self._changed.notify_all()


class TrainingQueue:
    """At most ``slots`` jobs train at once; the others wait in order."""

    def __init__(self, slots: int | None = None, max_seconds: float = MAX_SECONDS):
        self.slots = slots or max(1, os.cpu_count() or 1)
        self.max_seconds = max_seconds
        self._waiting: deque[TrainingJob] = deque()
        self._by_owner: dict[object, TrainingJob] = {}
        self._training: Counter = Counter()  # client -> the slots its jobs train in now
        self._lock = threading.Condition()
        self._threads: list[threading.Thread] = []

    def submit(self, training, owner: object = None, pace: float | None = None,
               on_end=None, until: int | None = None, client: object = None) -> TrainingJob:
        """Queue a training (PenguinError if it is over the budget); the owner's earlier job is stopped.

        ``on_end(job)`` is called from the queue's thread once the job has stopped training; ``until``
        stops it at that epoch (a part of the training); ``client`` is who asked (default: the owner).
        """
        self.check(training)
        job = TrainingJob(training, owner, pace, on_end, until, client)
        self._enqueue(job)
        return job

    def _enqueue(self, job) -> None:
        """Put the job in line; its owner's earlier job is stopped."""
        owner = job.owner
        with self._lock:
            earlier = self._by_owner.get(owner) if owner is not None else None
            if owner is not None:
                self._by_owner[owner] = job
            self._waiting.append(job)
            self._start_threads()
            self._lock.notify()
        if earlier is not None:
            earlier.request_stop()

    def submit_sweep(self, trainings: list, owner: object = None, on_end=None, client: object = None) -> SweepJob:
        """Queue many trainings as one job (PenguinError when together they cost more than one run may);
        ``on_end(job)`` is called from the queue's thread once it has stopped training."""
        total = 0.0
        for training in trainings:
            total += self.check(training).seconds
        if total > self.max_seconds:
            raise PenguinError(
                f"This sweep is too big for a shared server: its {len(trainings)} runs would take about "
                f"{total:.0f} s of computing one after another, and a sweep may take what one run may "
                f"({self.max_seconds:.0f} s). Use fewer values or seeds, fewer epochs or smaller layers.")
        job = SweepJob(trainings, owner, on_end, client)
        self._enqueue(job)
        return job

    def advance(self, training, epochs: int, owner: object = None, on_end=None, client: object = None) -> TrainingJob:
        """Queue ``epochs`` more epochs of a training that goes on across calls (the Playground's Play and
        Step): a small job, so a learner playing waits in line like everyone else."""
        training.resume()
        return self.submit(training, owner, on_end=on_end, until=len(training.history) + epochs, client=client)

    def check(self, training):
        """The training's cost, or PenguinError when one run may not cost that much on this server."""
        X = training.X
        return check_budget(training.spec, len(X), X.shape[1], training.y.shape[1], self.max_seconds)

    def place(self, job: TrainingJob) -> int:
        """The job's place in line: 1 when it starts next, 0 once it is training (or over)."""
        with self._lock:
            order = self._order()
            return order.index(job) + 1 if job in order else 0

    def _order(self) -> list:
        """The waiting jobs in the order they start: by how many jobs their client has ahead of them (training
        or waiting), then first come, first served."""
        ahead, ranked = Counter(self._training), []
        for arrival, job in enumerate(self._waiting):
            if job.state == "waiting":
                ranked.append((ahead[job.client], arrival, job))
                ahead[job.client] += 1
        return [job for _, _, job in sorted(ranked, key=lambda r: r[:2])]

    def _next(self):
        """The job a free trainer takes: a job stopped while waiting at once (it costs nothing), else the first
        in ``_order`` whose client holds fewer than all slots but one; None when none may start."""
        for job in self._waiting:
            if job.state != "waiting":
                return job
        most = max(1, self.slots - 1)
        return next((job for job in self._order() if self._training[job.client] < most), None)

    def _start_threads(self) -> None:
        while len(self._threads) < self.slots:
            thread = threading.Thread(target=self._serve, name=f"trainer-{len(self._threads) + 1}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self) -> None:
        while True:
            with self._lock:
                while self._next() is None:
                    self._lock.wait()
                began, gathered, seen = time.monotonic(), time.monotonic() + GATHER_SECONDS, len(self._waiting)
                while 0 < len(self._waiting) < MAX_BATCH and time.monotonic() < gathered:
                    self._lock.wait(gathered - time.monotonic())
                    if len(self._waiting) > seen:  # another click: wait a little more for the rest of the class
                        seen = len(self._waiting)
                        gathered = min(began + GATHER_LIMIT, time.monotonic() + GATHER_SECONDS)
                first = self._next()
                if first is None:  # another trainer took them
                    continue
                jobs = self._take(first)
                self._training.update({job.client for job in jobs})  # a batch is one slot
            try:
                if isinstance(jobs[0], SweepJob):
                    jobs[0]._run()
                else:
                    _train_together(jobs)
            finally:
                with self._lock:
                    for job in jobs:
                        if self._by_owner.get(job.owner) is job:
                            del self._by_owner[job.owner]
                    self._training.subtract({job.client for job in jobs})
                    self._training += Counter()  # drop the zeros
                    self._lock.notify_all()  # a slot is free: a client held back may start
            for job in jobs:
                if job.on_end is not None:
                    try:
                        job.on_end(job)
                    except Exception:  # the learner's page keeps the run anyway; the log says why saving failed
                        log.exception("keeping an ended training failed")

    def _take(self, first) -> list[TrainingJob]:
        """``first``, and the waiting jobs that can step with it in one batch (a class that clicked Train in
        the same second), up to ``MAX_BATCH`` runs and ``max_seconds`` of estimated work."""
        self._waiting.remove(first)
        jobs = [first]
        if isinstance(first, SweepJob) or first.pace is not None or first.state != "waiting":
            return jobs
        key, cost = batch_key(first.training), self.check(first.training).seconds
        for job in list(self._waiting):
            if len(jobs) >= MAX_BATCH:
                break
            if isinstance(job, TrainingJob) and job.pace is None and job.state == "waiting" \
                    and batch_key(job.training) == key:
                more = self.check(job.training).seconds
                if cost + more <= self.max_seconds:
                    self._waiting.remove(job)
                    jobs.append(job)
                    cost += more
        return jobs


def _train_together(jobs: list[TrainingJob]) -> None:
    """Train the jobs in one batch (a job alone is the one-run case), publishing every epoch as it ends."""
    with_trainings = []
    for job in jobs:
        with job._changed:
            if job.state == "waiting":
                job.state, job.started = "training", time.monotonic()
                with_trainings.append(job)
    if not with_trainings:
        return
    of = {id(job.training): job for job in with_trainings}
    clock = [time.thread_time()]

    told = [0.0]

    def publish(trainings) -> None:
        """Count each job's share of the CPU; wake the pages watching at most every ``PUBLISH_SECONDS``
        (every epoch would wake 30 watchers a thousand times a second) and at each job's last epoch."""
        now, wall = time.thread_time(), time.monotonic()
        share, clock[0] = (now - clock[0]) / len(trainings), now
        tell = wall - told[0] >= PUBLISH_SECONDS
        if tell:
            told[0] = wall
        for training in trainings:
            job = of[id(training)]
            with job._changed:
                job.cpu_seconds += share
                if tell or len(training.history) >= job.until:
                    job._changed.notify_all()

    try:
        train_together([job.training for job in with_trainings], until=lambda t: of[id(t)].until, after_epoch=publish)
        failed = False
    except Exception:  # a bug in the engine: the learners get a message, the log the traceback
        log.exception("training failed")
        failed = True
    for job in with_trainings:
        stopped = job.training.stop_requested and len(job.training.history) < job.until
        with job._changed:
            if job.state == "training":
                job.state = "failed" if failed else "stopped" if stopped or job.stopped_at is not None else "done"
            job._changed.notify_all()


def _train_epochs(training, epochs: int):
    """The same training again from its start, run for exactly ``epochs`` epochs."""
    again = training.again()
    for _ in range(epochs):
        again.epoch()
    run = again.run()
    run.seconds = training.seconds * epochs / max(1, len(training.history))
    return run
