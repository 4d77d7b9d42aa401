"""What one learner's lab holds: settings, the current model, the run history, progress and answers.

A plain object, kept under one key of Streamlit's ``st.session_state`` and
saved to the lab's store (``penguin_core.lab.store``) after every change,
so a reload, another tab with the same link or a server restart finds it
again. Every page reads and writes the same object.
"""

from __future__ import annotations

import dataclasses
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from penguin_core.engine.queue import TrainingJob
from penguin_core.engine.training import Training
from penguin_core.errors import PenguinError
from penguin_core.model import ModelSpec
from penguin_core.preparation import DataSpec, PreparedData, prepared
from penguin_core.run import Run
from penguin_core.text import clean_name

DATA_FIELDS = {f.name for f in dataclasses.fields(DataSpec)}
MODEL_FIELDS = {f.name for f in dataclasses.fields(ModelSpec)}
MAX_HISTORY = 50
"""The run history keeps the newest runs, this many."""


def new_key() -> str:
    """An unguessable lab key (128 random bits): whoever has it has the lab, so it is never shown elsewhere."""
    return secrets.token_urlsafe(16)


@dataclass(eq=False)
class LabState:
    """data_spec and model_spec are always valid: a page only stores settings the core accepted.

    key:     the lab's key, carried in the learner's own link (never in a link to share a setup).
    run:     the current model (just trained, stopped, or uploaded); None before the first.
    active:  the training queued or under way, with its run's name, until ``collect_training`` keeps it.
    history: the runs trained in this lab, oldest first, the newest ``MAX_HISTORY`` of them.
    solved:  exercise id -> True once answered correctly; answers: exercise id -> what was typed.
    visited: the workflow pages the learner has opened.
    penguin: the measurements last typed or slid on the Predict page.
    projector: larger type and the key views on one screen, for a class reading a wall.
    notices: sentences to show once (a link's ignored settings, a lab that was not found).
    classroom: the class this lab joined: {"code", "name" (the learner's display name), "applied" (the number
             of the last setup the instructor pushed that the learner applied or dismissed)}.
    poster:  posts answers and finished runs to the class (set by ``open_lab``; see ``lab.classwork``).
    """

    key: str = field(default_factory=new_key)
    data_spec: DataSpec = field(default_factory=DataSpec)
    model_spec: ModelSpec = field(default_factory=ModelSpec)
    run: Run | None = None
    history: list[Run] = field(default_factory=list)
    solved: dict[str, bool] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    visited: set[str] = field(default_factory=set)
    penguin: dict[str, float] = field(default_factory=dict)
    runs_started: int = 0
    projector: bool = False
    active: tuple[TrainingJob, str] | None = None
    notices: list[str] = field(default_factory=list)
    forgotten: set[str] = field(default_factory=set)  # ids of runs let go since the last save
    classroom: dict[str, str] | None = None
    saver: Callable[["LabState"], None] | None = field(default=None, repr=False)
    poster: object = field(default=None, repr=False)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def data(self) -> PreparedData:
        """The data prepared as ``data_spec`` says (shared, read-only, across sessions)."""
        return prepared(self.data_spec)

    def next_run_name(self) -> str:
        self.runs_started += 1
        return f"run {self.runs_started}"

    def record(self, run: Run) -> None:
        """A finished or stopped run becomes the current model and joins the history (newest 50 kept)."""
        with self.lock:
            if self.run is not None and self.run is not run:
                self.run.snapshots = None  # only the current run keeps its snapshots in memory
                if self.run not in self.history:  # uploaded, or deleted from the history: nothing refers to it now
                    self.forgotten.add(self.run.id)
            self.run = run
            self.history.append(run)
            self._forget(self.history[:-MAX_HISTORY])
            del self.history[:-MAX_HISTORY]
        if self.poster is not None:
            self.poster.run(self, run)

    def join_history(self, runs: list[Run]) -> None:
        """A sweep's runs join the history (newest 50 kept) without replacing the current model."""
        with self.lock:
            for run in runs:
                run.snapshots = None  # replay is for the current run only
                self.history.append(run)
            self._forget(self.history[:-MAX_HISTORY])
            del self.history[:-MAX_HISTORY]

    def change(self, field: str, value) -> None:
        """Set one setting (a field of DataSpec or ModelSpec) if the core accepts it, else PenguinError saying why.

        A data setting must also leave a data set that splits; the lab keeps its last valid settings.
        """
        if field in DATA_FIELDS:
            spec = self.data_spec.replace(**{field: value})
            prepared(spec)
            self.data_spec = spec
        elif field in MODEL_FIELDS:
            spec = self.model_spec.replace(**{field: value})
            if field == "batch_size":
                spec.check_batch_size(len(self.data().X_train))
            self.model_spec = spec
        else:
            raise KeyError(field)

    def save(self) -> None:
        """Keep the lab in its store now (when one is attached)."""
        if self.saver is not None:
            self.saver(self)

    def begin_training(self, pace: float | None = None) -> TrainingJob:
        """Queue the current settings' training (PenguinError if they cannot train); one at a time per learner.

        When it ends, the run is kept and the lab saved, whether or not a page is still watching.
        """
        from penguin_core.lab.trainer import trainer

        training = Training(self.data(), self.model_spec)
        queue = trainer()
        queue.check(training)
        self.stop_training()
        job = queue.submit(training, owner=self.key, pace=pace, on_end=lambda _: self._keep_ended())
        self.active = (job, self.next_run_name())
        return job

    @property
    def training_job(self) -> TrainingJob | None:
        return None if self.active is None else self.active[0]

    def stop_training(self) -> Run | None:
        """Stop the training under way (keeping what it learned so far); the run it became, if any."""
        job = self.training_job
        if job is None:
            return None
        job.request_stop()
        deadline = time.monotonic() + 10
        while not job.finished and time.monotonic() < deadline:
            job.wait(0.1)
        self.collect_training()  # unless the queue's thread has just done so
        return job.kept

    def collect_training(self) -> Run | None:
        """Keep a training that has ended (finished, or stopped) as a run; None while it goes on.

        Safe to call from several threads at once (two script runs of a session,
        the queue's thread): exactly one of them records the run.
        """
        with self.lock:
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
            job.kept = run
            return run

    def _keep_ended(self) -> None:
        """Called by the queue when the job ends: keep and save the run, even if nobody watches any more.

        A paced job is still being shown: it is kept when its last epoch has been shown.
        """
        job = self.training_job
        if job is not None and not job.finished and job.pace is not None:
            threading.Timer(max(0.05, job.seconds_left()), self._keep_ended).start()
        elif self.collect_training() is not None:
            self.save()

    def clear_history(self) -> None:
        """Forget earlier runs; the current model stays usable."""
        with self.lock:
            self._forget(self.history)
            self.history = []

    def rename(self, run_id: str, name: str) -> str:
        """Give a run of the history a new name (cleaned, at most ``MAX_NAME`` characters, distinct from the
        other runs' names, as the Train page picks runs by name); the name kept, or PenguinError saying why."""
        name = clean_name(name)
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

    def check(self, exercise, typed: str):
        """The exercise's feedback on ``typed``, remembering what was typed and a correct answer."""
        feedback = exercise.check(typed)
        self.answered(exercise.id, typed, None if feedback is None else feedback.correct)
        return feedback

    def answered(self, exercise_id: str, typed: str, correct: bool | None) -> None:
        """Remember an answer (``correct`` None while there is nothing to check); a new answer goes to the class."""
        typed = (typed or "")[:100]
        changed = self.answers.get(exercise_id) != typed
        self.answers[exercise_id] = typed
        if correct:
            self.solved[exercise_id] = True
        if changed and correct is not None and self.poster is not None:
            self.poster.answer(self, exercise_id, typed, correct)

    def steps_done(self) -> dict[str, bool]:
        """Where the learner is, for the start page and the sidebar."""
        return {
            "data explored": "explore" in self.visited,
            "data prepared": "prepare" in self.visited,
            "model built": "architecture" in self.visited,
            "model trained": self.run is not None,
        }

    def to_record(self) -> dict:
        """Everything but the runs, as plain values for the store."""
        return {"data_spec": self.data_spec.to_dict(), "model_spec": self.model_spec.to_dict(),
                "solved": dict(self.solved), "answers": dict(self.answers), "visited": sorted(self.visited),
                "penguin": dict(self.penguin), "runs_started": self.runs_started, "projector": self.projector,
                "run": None if self.run is None else self.run.id, "classroom": self.classroom}

    @classmethod
    def from_record(cls, key: str, record: dict, runs: list[Run], in_history: set[str]) -> "LabState":
        """The lab as stored; settings that no longer validate fall back to the lesson's."""
        state = cls(key=key)
        try:
            state.data_spec = DataSpec.from_dict(record.get("data_spec", {}))
            state.model_spec = ModelSpec.from_dict(record.get("model_spec", {}))
        except PenguinError:
            state.notices.append("Your lab's settings could not be read back, so the lesson's are used.")
        state.solved = {str(k): True for k, v in record.get("solved", {}).items() if v}
        state.answers = {str(k): str(v)[:100] for k, v in record.get("answers", {}).items()}
        state.visited = set(map(str, record.get("visited", [])))
        state.penguin = {str(k): float(v) for k, v in record.get("penguin", {}).items()}
        state.runs_started = int(record.get("runs_started", 0))
        state.projector = bool(record.get("projector", False))
        classroom = record.get("classroom")
        if isinstance(classroom, dict) and {"code", "name"} <= set(classroom):
            state.classroom = {"code": str(classroom["code"])[:8], "name": str(classroom["name"])[:40],
                               "applied": int(classroom.get("applied", 0))}
        state.history = [run for run in runs if run.id in in_history][-MAX_HISTORY:]
        state.run = next((run for run in runs if run.id == record.get("run")), None)
        return state
