"""What one learner's session holds: settings, the current model, the run history.

A plain object, kept under one key of Streamlit's ``st.session_state`` (passed
in as a mapping, so this module does not import streamlit). Every page reads
and writes the same object; a new browser tab is a new session with its own.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import MutableMapping
from dataclasses import dataclass, field

from penguin_core.model import ModelSpec
from penguin_core.preparation import DataSpec, PreparedData, prepared
from penguin_core.run import Run
from penguin_core.engine.queue import TrainingJob, TrainingQueue
from penguin_core.engine.training import Training

STATE_KEY = "penguin_lab"


@dataclass
class LabState:
    """data_spec and model_spec are always valid: a page only stores settings the core accepted.

    run:     the current model (just trained, stopped, or uploaded); None before the first.
    active:  the training queued or under way, with its run's name, until ``collect_training`` keeps it.
    history: the runs trained in this session, oldest first, until the learner clears it.
    solved:  exercise id -> True once answered correctly.
    visited: the workflow pages the learner has opened.
    """

    data_spec: DataSpec = field(default_factory=DataSpec)
    model_spec: ModelSpec = field(default_factory=ModelSpec)
    run: Run | None = None
    history: list[Run] = field(default_factory=list)
    solved: dict[str, bool] = field(default_factory=dict)
    visited: set[str] = field(default_factory=set)
    runs_started: int = 0
    active: tuple[TrainingJob, str] | None = None
    key: str = field(default_factory=lambda: secrets.token_hex(8))  # who owns a queued training

    def data(self) -> PreparedData:
        """The data prepared as ``data_spec`` says (shared, read-only, across sessions)."""
        return prepared(self.data_spec)

    def next_run_name(self) -> str:
        self.runs_started += 1
        return f"run {self.runs_started}"

    def record(self, run: Run) -> None:
        """A finished or stopped run becomes the current model and joins the history."""
        self.run = run
        self.history.append(run)

    def begin_training(self, pace: float | None = None) -> TrainingJob:
        """Queue the current settings' training (PenguinError if they cannot train); one at a time per learner."""
        training = Training(self.data(), self.model_spec)
        queue = trainer()
        queue.check(training)
        self.stop_training()
        job = queue.submit(training, owner=self.key, pace=pace)
        self.active = (job, self.next_run_name())
        return job

    @property
    def training_job(self) -> TrainingJob | None:
        return None if self.active is None else self.active[0]

    def stop_training(self) -> Run | None:
        """Stop the training under way (keeping what it learned so far) and keep it as a run."""
        if self.active is not None:
            job = self.active[0]
            job.request_stop()
            deadline = time.monotonic() + 10
            while not job.finished and time.monotonic() < deadline:
                job.wait(0.1)
        return self.collect_training()

    def collect_training(self) -> Run | None:
        """Keep a training that has ended (finished, or stopped) as a run; None while it goes on.

        Safe to call from two script runs at once: Streamlit may start the next
        run of a session before the one before has ended, and only one of them
        records the run.
        """
        with _collecting:
            active = self.active
            if active is None or not active[0].finished:
                return None
            self.active = None
        job, name = active
        run = job.result()
        if run is None:
            return None
        run.name = name
        self.record(run)
        return run

    def clear_history(self) -> None:
        """Forget earlier runs; the current model stays usable."""
        self.history = []

    def check(self, exercise, typed: str):
        """The exercise's feedback on ``typed``, remembering a correct answer."""
        feedback = exercise.check(typed)
        if feedback is not None and feedback.correct:
            self.solved[exercise.id] = True
        return feedback

    def steps_done(self) -> dict[str, bool]:
        """Where the learner is, for the start page and the sidebar."""
        return {
            "data explored": "explore" in self.visited,
            "data prepared": "prepare" in self.visited,
            "model built": "architecture" in self.visited,
            "model trained": self.run is not None,
        }


_collecting = threading.Lock()
_queue: TrainingQueue | None = None


def trainer() -> TrainingQueue:
    """The server's one training queue, shared by every session.

    It trains as many runs at once as the machine has cores, unless the
    environment variable PENGUIN_TRAINING_SLOTS says otherwise.
    """
    global _queue
    with _collecting:
        if _queue is None:
            slots = os.environ.get("PENGUIN_TRAINING_SLOTS", "")
            _queue = TrainingQueue(slots=int(slots) if slots.isdigit() and int(slots) > 0 else None)
    return _queue


def lab_state(session_state: MutableMapping) -> LabState:
    """This session's LabState, created on first use.

    A training that has ended since the last script run (in the server's
    queue, which goes on whatever page the learner opens) is kept as a run
    here, so every page sees it.
    """
    if STATE_KEY not in session_state:
        session_state[STATE_KEY] = LabState()
    state = session_state[STATE_KEY]
    state.collect_training()
    return state


def init_widgets(session_state: MutableMapping, values: dict) -> None:
    """Give each widget key its value from the LabState the first time a page draws it (again).

    Streamlit forgets a widget's value when its page is left; the LabState
    remembers, so a page comes back as the learner left it.
    """
    for key, value in values.items():
        if key not in session_state:
            session_state[key] = value


def forget_widgets(session_state: MutableMapping, prefix: str) -> None:
    """Drop widget values starting with ``prefix``, so the next draw takes them from the LabState."""
    for key in [k for k in session_state.keys() if str(k).startswith(prefix)]:
        del session_state[key]
