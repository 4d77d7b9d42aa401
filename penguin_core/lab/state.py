"""What one learner's lab holds: settings, the current model, the run history, progress and answers.

The record kept in the lab's store (``penguin_core.lab.store``) and found again
by its key, so a reload, another tab with the same link or a server restart
finds it. It holds and tidies; the session's ``Lab`` (``penguin_core.lab.session``)
is what changes it, through its verbs.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field

from penguin_core.errors import PenguinError
from penguin_core.experiments import Sweep
from penguin_core.model import ModelSpec
from penguin_core.preparation import DataSpec
from penguin_core.run import Run
from penguin_core.server import SweepJob, TrainingJob
from penguin_core.text import MAX_NAME, clean_name

MAX_HISTORY = 50
"""The run history keeps the newest runs, this many."""


def new_key() -> str:
    """An unguessable lab key (128 random bits): whoever has it has the lab, so it is never shown elsewhere."""
    return secrets.token_urlsafe(16)


@dataclass
class Membership:
    """The class a lab joined: its code, the learner's display name there, and the number of the last setup
    the instructor pushed that the learner applied or put aside."""

    code: str
    name: str
    applied: int = 0


@dataclass(eq=False)
class Sweeping:
    """A sweep under way or done: its plan, its job, and how many of its runs joined the history."""

    sweep: Sweep
    job: SweepJob
    kept: int | None = None


@dataclass(eq=False)
class LabState:
    """data_spec and model_spec are always valid: only the lab's verbs set them, with settings the core accepted.

    key:     the lab's key, carried in the learner's own link (never in a link to share a setup).
    run:     the current model (just trained, stopped, or uploaded); None before the first.
    history: the runs trained in this lab, oldest first, the newest ``MAX_HISTORY`` of them.
    solved:  exercise id -> True once answered correctly; answers: exercise id -> what was typed.
    tries:   exercise id -> answers checked until the first right one; peeked: exercises whose answer the
             learner chose to see before getting it right (the board tells them from first-try answers).
    unsent:  posts to the class (plain tuples: kind and values) the board could not take yet; sent again.
    visited: the workflow pages the learner has opened.
    penguin: the measurements last typed or slid on the Predict page.
    projector: larger type and the key views on one screen, for a class reading a wall.
    classroom: the class this lab joined, if any.
    notices: sentences to show once (a link's ignored settings, a lab that was not found).
    kept:    whether the store holds this lab (loaded from it, or saved): until then, and until the learner
             did something (``worth_keeping``), it is neither saved nor named in the address.
    forgotten: ids of runs let go since the last save (the store deletes them).
    training, sweeping, playground: the Train run queued or under way (its job and name), the last sweep and
             the Playground's training: the lab's, not a tab's, so a reload or a second tab finds them going
             on; never stored.
    """

    key: str = field(default_factory=new_key)
    data_spec: DataSpec = field(default_factory=DataSpec)
    model_spec: ModelSpec = field(default_factory=ModelSpec)
    run: Run | None = None
    history: list[Run] = field(default_factory=list)
    solved: dict[str, bool] = field(default_factory=dict)
    tries: dict[str, int] = field(default_factory=dict)
    peeked: set[str] = field(default_factory=set)
    unsent: list[tuple] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)
    visited: set[str] = field(default_factory=set)
    penguin: dict[str, float] = field(default_factory=dict)
    runs_started: int = 0
    projector: bool = False
    classroom: Membership | None = None
    notices: list[str] = field(default_factory=list)
    kept: bool = False
    forgotten: set[str] = field(default_factory=set)
    training: tuple[TrainingJob, str] | None = field(default=None, repr=False)
    sweeping: Sweeping | None = field(default=None, repr=False)
    playground: object = field(default=None, repr=False)  # the Playground's training (lab.playground)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def worth_keeping(self) -> bool:
        """Whether the learner did anything a reload should find: a model, an answer, a setting changed, a
        penguin measured, a class joined. A visit alone is not (300 visits once made 300 labs kept 30 days)."""
        return bool(self.kept or self.run or self.history or any(self.answers.values()) or self.peeked or self.penguin
                    or self.classroom or self.unsent or self.projector
                    or self.data_spec != DataSpec() or self.model_spec != ModelSpec())

    def next_run_name(self) -> str:
        self.runs_started += 1
        return f"run {self.runs_started}"

    def record(self, run: Run) -> None:
        """A finished or stopped run becomes the current model and joins the history (newest 50 kept)."""
        with self.lock:
            self.make_current(run)
            self.history.append(run)
            self._trim()

    def make_current(self, run: Run) -> None:
        """``run`` becomes the current model (an uploaded one joins no history)."""
        with self.lock:
            if self.run is not None and self.run is not run:
                self.run.snapshots = None  # only the current run keeps its snapshots in memory
                if self.run not in self.history:  # uploaded, or deleted from the history: nothing refers to it now
                    self.forgotten.add(self.run.id)
            self.run = run

    def join_history(self, runs: list[Run]) -> None:
        """Runs join the history (newest 50 kept) without replacing the current model (a sweep's)."""
        with self.lock:
            for run in runs:
                run.snapshots = None  # replay is for the current run only
                self.history.append(run)
            self._trim()

    def _trim(self) -> None:
        self._forget(self.history[:-MAX_HISTORY])
        del self.history[:-MAX_HISTORY]

    def clear_history(self) -> None:
        """Forget earlier runs; the current model stays usable."""
        with self.lock:
            self._forget(self.history)
            self.history = []

    def rename(self, run_id: str, name: str) -> str:
        """Give a run of the history a new name (cleaned, at most ``MAX_NAME`` characters, distinct from the
        other runs' names, as the Train page picks runs by name); the name kept, or PenguinError saying why."""
        name = clean_name(name, MAX_NAME)
        with self.lock:
            run = self._in_history(run_id)
            if not name:
                raise PenguinError("Type a name for the run: at least one letter, digit or sign.")
            if any(other.name.casefold() == name.casefold() for other in self.history if other is not run):
                raise PenguinError(f"Another run is already called {name}: choose another name.")
            run.name = name
            return name

    def delete(self, run_id: str) -> Run:
        """Take a run out of the history (and out of the store at the next save). The current model's run
        stays the current model (Predict and Share go on using it) until another run replaces it."""
        with self.lock:
            run = self._in_history(run_id)
            self.history.remove(run)
            self._forget([run])
            return run

    def _in_history(self, run_id: str) -> Run:
        for run in self.history:
            if run.id == run_id:
                return run
        raise PenguinError("That run is no longer in your history (it may have been deleted in another tab).")

    def _forget(self, runs: list[Run]) -> None:
        """Runs to delete from the store at the next save (never the current model)."""
        self.forgotten |= {run.id for run in runs if run is not self.run}

    def answered(self, exercise_id: str, typed: str, correct: bool | None) -> bool:
        """Remember an answer (``correct`` None while there is nothing to check); True when it is a new one."""
        typed = (typed or "")[:100]
        changed = self.answers.get(exercise_id) != typed
        self.answers[exercise_id] = typed
        if changed and correct is not None and not self.solved.get(exercise_id):
            self.tries[exercise_id] = self.tries.get(exercise_id, 0) + 1
        if correct:
            self.solved[exercise_id] = True
        return changed

    def to_record(self) -> dict:
        """Everything but the runs, as plain values for the store."""
        classroom = None if self.classroom is None else vars(self.classroom)
        return {"data_spec": self.data_spec.to_dict(), "model_spec": self.model_spec.to_dict(),
                "solved": dict(self.solved), "answers": dict(self.answers), "visited": sorted(self.visited),
                "tries": dict(self.tries), "peeked": sorted(self.peeked), "unsent": [list(p) for p in self.unsent],
                "penguin": dict(self.penguin), "runs_started": self.runs_started, "projector": self.projector,
                "run": None if self.run is None else self.run.id, "classroom": classroom}

    @classmethod
    def from_record(cls, key: str, record: dict, runs: list[Run], in_history: set[str]) -> "LabState":
        """The lab as stored; settings that no longer validate fall back to the lesson's."""
        state = cls(key=key, kept=True)
        try:
            state.data_spec = DataSpec.from_dict(record.get("data_spec", {}))
            state.model_spec = ModelSpec.from_dict(record.get("model_spec", {}))
        except PenguinError:
            state.notices.append("Your lab's settings could not be read back, so the lesson's are used.")
        state.solved = {str(k): True for k, v in record.get("solved", {}).items() if v}
        state.answers = {str(k): str(v)[:100] for k, v in record.get("answers", {}).items()}
        state.tries = {str(k): int(v) for k, v in record.get("tries", {}).items()}
        state.peeked = set(map(str, record.get("peeked", [])))
        state.unsent = [tuple(p) for p in record.get("unsent", [])[:100] if isinstance(p, list) and p]
        state.visited = set(map(str, record.get("visited", [])))
        state.penguin = {str(k): float(v) for k, v in record.get("penguin", {}).items()}
        state.runs_started = int(record.get("runs_started", 0))
        state.projector = bool(record.get("projector", False))
        classroom = record.get("classroom")
        if isinstance(classroom, dict) and {"code", "name"} <= set(classroom):
            state.classroom = Membership(str(classroom["code"])[:8], str(classroom["name"])[:MAX_NAME],
                                         int(classroom.get("applied", 0)))
        state.history = [run for run in runs if run.id in in_history][-MAX_HISTORY:]
        state.run = next((run for run in runs if run.id == record.get("run")), None)
        return state
