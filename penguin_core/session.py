"""What one learner's session holds: settings, the current model, the run history.

A plain object, kept under one key of Streamlit's ``st.session_state`` (passed
in as a mapping, so this module does not import streamlit). Every page reads
and writes the same object; a new browser tab is a new session with its own.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import MutableMapping
from dataclasses import dataclass, field

from penguin_core.model import ModelSpec
from penguin_core.preparation import DataSpec, PreparedData, prepare
from penguin_core.run import Run
from penguin_core.training import Training

STATE_KEY = "penguin_lab"


@dataclass
class LabState:
    """data_spec and model_spec are always valid: a page only stores settings the core accepted.

    run:     the current model (just trained, stopped, or uploaded); None before the first.
    active:  the training under way, with its run's name, until ``finish_training`` keeps it.
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
    active: tuple[Training, str] | None = None

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

    def begin_training(self, training: Training) -> str:
        """Register a training about to run; returns its run's name."""
        self.finish_training()
        name = self.next_run_name()
        self.active = (training, name)
        return name

    def finish_training(self) -> Run | None:
        """Keep the training under way (finished, stopped, or cut short by a click elsewhere) as a run.

        Safe to call from two script runs at once: Streamlit may start the next
        run of a session before the interrupted one has ended, and only one of
        them records the run.
        """
        with _finishing:
            active, self.active = self.active, None
        if active is None:
            return None
        training, name = active
        training.request_stop()
        if not training.history:
            return None
        run = training.run()
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


_finishing = threading.Lock()


@functools.lru_cache(maxsize=64)
def prepared(spec: DataSpec) -> PreparedData:
    return prepare(spec)


def lab_state(session_state: MutableMapping) -> LabState:
    """This session's LabState, created on first use.

    A training left running by an earlier script run (Stop, a second click on
    Train, another page opened) is kept as a stopped run here, so every page
    sees it.
    """
    if STATE_KEY not in session_state:
        session_state[STATE_KEY] = LabState()
    state = session_state[STATE_KEY]
    state.finish_training()
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
