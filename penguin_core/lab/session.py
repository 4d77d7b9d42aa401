"""A learner's work, owned: one ``Lab`` per browser tab, with a verb for everything a learner does.

The lab's record (``state``, a ``LabState``) is what the store keeps; the
``Lab`` around it is what this tab adds (the link's tailoring, the training
under way, the sweep, the Playground, the class) and the only thing that
changes the record. Pages call its verbs and draw what they return:

    lab.change("epochs", 40); lab.reset("model"); lab.apply_setup(params)   # settings
    lab.train(pace); lab.stop_training(); lab.sweep(axes, seeds)            # trainings
    lab.playground.advance(1)                                                # the Playground
    lab.answer(exercise, typed); lab.rename(run_id, name); lab.delete(...)  # work
    lab.classwork.join(code, name); lab.classwork.apply(pushed)             # a class

A Train click, a sweep and a Playground run all end the same way, whichever
page started them and whether or not a page still watches: the queue calls
back when the job ends, and ``keep`` records the run, posts it to the class
and saves the lab.
"""

from __future__ import annotations

import logging
import threading
import time

from penguin_core.classroom import Classroom
from penguin_core.experiments import Sweep
from penguin_core.lab import link
from penguin_core.lab.classwork import Classwork, Teaching
from penguin_core.lab.playground import Playground
from penguin_core.lab.state import LabState, Sweeping
from penguin_core.lab.store import StoreFull
from penguin_core.model import ModelSpec
from penguin_core.preparation import DataSpec, PreparedData, prepared
from penguin_core.run import Run
from penguin_core.server import SweepJob, TrainingJob, trainer
from penguin_core.settings import BY_FIELD
from penguin_core.training import Training
from penguin_core.workflow import progress

NOT_TAILORED = link.Tailoring()
MAX_ANSWER = 100
"""The most of an exercise's answer the lab reads (the state keeps as much)."""
BOARD_PAGE = "instructor"
"""The instructor's board: the one page whose address carries the instructor key."""
log = logging.getLogger(__name__)


class Lab:
    """One tab's lab: the record, the store it is saved to, and this tab's tailoring, trainings and class."""

    def __init__(self, state: LabState | None = None, store=None, tailoring: link.Tailoring = NOT_TAILORED,
                 classroom: Classroom | None = None, class_code: str = "", teach: str = ""):
        self.state = state or LabState()
        self.store, self.tailoring = store, tailoring
        self.classwork = Classwork(self, classroom, class_code if not teach else "")
        self.teaching = Teaching(classroom, class_code if teach else "", teach)
        if self.state.playground is None:  # the lab's, not the tab's: a reload mid-run finds the run
            self.state.playground = Playground(self)
        self.playground = self.state.playground
        self.playground.lab = self  # this tab's tailoring and class from now on
        self.client: str | None = None  # who this tab's requests come from (``penguin_core.server.clients``)
        self.standing_in = False  # the store could not give this key's lab yet: never saved over it
        self.told_full = False  # the learner was told the store keeps no more new labs
        self.tried_at = time.monotonic()

    @property
    def active(self) -> tuple[TrainingJob, str] | None:
        """The Train run queued or under way, and its name (the lab's: a reload finds it)."""
        return self.state.training

    @property
    def sweeping(self) -> Sweeping | None:
        return self.state.sweeping

    # --- the record --------------------------------------------------------------------------------------

    def data(self) -> PreparedData:
        """The data prepared as the lab's settings say (shared, read-only, across sessions)."""
        return prepared(self.state.data_spec)

    def save(self) -> None:
        """Keep the lab in its store now (when there is one); a failure is said once, the tab keeps the lab."""
        if self.store is None or self.standing_in:
            return
        try:
            self.store.save(self.state, self.client or "")
        except StoreFull as full:
            if not self.told_full:
                self.told_full = True
                self.state.notices.append(f"{full}, so your lab is not stored: it is kept in this tab while it "
                                          "is open (download what you want to keep from Share).")
        except Exception:
            log.exception("saving a lab failed")
            if not any("could not be saved" in notice for notice in self.state.notices):
                self.state.notices.append("Your lab could not be saved just now; it is kept in this tab meanwhile.")

    def running(self) -> bool:
        """Whether a Train run, a sweep or the Playground's training is queued or under way in this lab."""
        sweeping = self.state.sweeping
        return (self.active is not None or self.playground.running
                or (sweeping is not None and sweeping.kept is None))

    def adopt(self, stored: LabState) -> None:
        """The stored lab, given at last, replaces this tab's stand-in and takes what the tab did meanwhile:
        its settings (the address's, or changed since), runs (renamed after the stored ones), answers, class
        posts waiting to be sent, and the class joined."""
        mine = self.state
        with stored.lock:
            stored.data_spec, stored.model_spec = mine.data_spec, mine.model_spec
            for run in mine.history:
                run.name = stored.next_run_name()
            stored.join_history([run for run in mine.history if run is not mine.run])  # replay: current only
            if any(run is mine.run for run in mine.history):
                stored.record(mine.run)
            elif mine.run is not None:
                stored.make_current(mine.run)
            stored.answers |= mine.answers
            stored.solved |= mine.solved
            stored.tries = mine.tries | stored.tries
            stored.peeked |= mine.peeked
            stored.visited |= mine.visited
            stored.unsent += mine.unsent
            stored.classroom = mine.classroom or stored.classroom
            trained = len(mine.history)
            stored.notices += [*mine.notices, "The database answers again: your lab is back" + (
                f", with the {trained} run{'s' if trained > 1 else ''} trained meanwhile." if trained else ".")]
            if stored.playground is None:
                stored.playground = self.playground
        self.state = stored
        self.playground = stored.playground
        self.playground.lab = self

    def address(self, page: str = "") -> dict[str, str]:
        """The learner's own address on ``page``: the lab's key (once there is something to keep), its
        settings, the tailoring it was opened with, projector mode when on, and the class code it came with;
        the instructor key only on the board's page, and on the Classroom page that just started the class (a
        reload there keeps it): a screen shared from any other page must not show it."""
        state = self.state
        params = {**({"lab": state.key} if state.worth_keeping() else {}),
                  **link.to_params(link.Setup(state.data_spec, state.model_spec)),
                  **self.tailoring.params(), **({"projector": "1"} if state.projector else {})}
        if self.teaching.code:
            if page == BOARD_PAGE or (page == "classroom" and self.teaching.started == self.teaching.code):
                params |= self.teaching.params()
        elif self.classwork.code and state.classroom is None:
            params["class"] = self.classwork.code
        return params

    def visit(self, url: str) -> None:
        self.state.visited.add(url)

    def steps_done(self) -> dict[str, bool]:
        """Where the learner is, for the start page and the sidebar."""
        return progress(self.state.visited, self.state.run is not None)

    # --- settings ----------------------------------------------------------------------------------------

    def change(self, field: str, value) -> None:
        """Set one setting if the core accepts it, else PenguinError saying why (the lab keeps the last valid
        settings). A data setting must leave a data set that splits; a new optimizer brings its own learning
        rate; a setting the link holds does not move."""
        state, part = self.state, BY_FIELD[field].part
        if part == "data":
            spec = state.data_spec.replace(**{field: value})
            prepared(spec)
            self.settle(spec, state.model_spec)
            return
        spec = state.model_spec.with_optimizer(value) if field == "optimizer" else state.model_spec.replace(**{field: value})
        if field == "batch_size":
            spec.check_batch_size(len(self.data().X_train))
        self.settle(state.data_spec, spec)

    def reset(self, part: str) -> None:
        """The lesson's settings back, for the data ("data") or the model ("model")."""
        if part == "data":
            self.settle(DataSpec(), self.state.model_spec)
        else:
            self.settle(self.state.data_spec, ModelSpec())

    def apply_setup(self, params: dict[str, str]) -> list[str]:
        """Take the settings a link's parameters describe (an instructor's pushed setup); what was ignored."""
        setup, ignored = link.from_params(params)
        self.settle(setup.data_spec, setup.model_spec)
        return ignored

    def settle(self, data_spec: DataSpec, model_spec: ModelSpec) -> None:
        """The one place the lab's settings are set: the tailoring's hidden and fixed ones held first."""
        if self.tailoring.hide or self.tailoring.fix:
            held = self.tailoring.hold(link.Setup(data_spec, model_spec))
            data_spec, model_spec = held.data_spec, held.model_spec
        self.state.data_spec, self.state.model_spec = data_spec, model_spec

    # --- a Train click --------------------------------------------------------------------------------

    def train(self, pace: float | None = None) -> TrainingJob:
        """Queue the current settings' training (PenguinError if they cannot train); one at a time per lab.
        ``pace``: seconds an epoch is shown (slow motion)."""
        training = Training(self.data(), self.state.model_spec)
        queue = trainer()
        queue.check(training)
        self.stop_training()
        with self.state.lock:  # the queue's call at the job's end waits until the lab knows the job
            job = queue.submit(training, owner=self.state.key, pace=pace, on_end=lambda _: self._train_ended(),
                               client=self.client)
            self.state.training = (job, self.state.next_run_name())
        return job

    def training(self) -> tuple[TrainingJob, str] | None:
        """The Train run queued or under way and its name, after keeping one that has ended."""
        self.collect()
        return self.active

    def stop_training(self) -> Run | None:
        """Stop the training under way (keeping what it learned so far); the run it became, if any."""
        if self.active is None:
            return None
        job = self.active[0]
        job.request_stop()
        deadline = time.monotonic() + 10
        while not job.finished and time.monotonic() < deadline:
            job.wait(0.1)
        self.collect()  # unless the queue's thread has just done so
        return job.kept

    def collect(self) -> Run | None:
        """Keep what has ended: a sweep's runs join the history; a Train run (finished, or stopped) becomes
        the current model, and is returned (None while it goes on).

        Safe to call from several threads at once (two script runs of a tab, the queue's thread): exactly
        one of them keeps each.
        """
        self._collect_sweep()
        with self.state.lock:
            active = self.active
            if active is None or not active[0].finished:
                return None
            self.state.training = None
            job, name = active
            run = job.result()
            if run is None:
                return None
            run.name = name
            self.keep(run)
            job.kept = run
        return run

    def _train_ended(self) -> None:
        """The queue's call when the job stops training; a paced job is kept once its last epoch was shown."""
        if self.active is not None and not self.active[0].finished and self.active[0].pace is not None:
            threading.Timer(max(0.05, self.active[0].seconds_left()), self._train_ended).start()
        else:
            self.collect()

    # --- a sweep --------------------------------------------------------------------------------------

    def sweep(self, axes: list[tuple[str, object]], seeds: int) -> Sweeping:
        """Plan a sweep of the lab's settings and queue it (PenguinError when it is not allowed); its runs join
        the history when it ends."""
        sweep = Sweep.plan(self.state.data_spec, self.state.model_spec, axes, seeds)
        with self.state.lock:  # the queue's call at the sweep's end waits until the lab knows the job
            job = trainer().submit_sweep(sweep.trainings, owner=self.state.key, on_end=lambda _: self.collect(),
                                         client=self.client)
            self.state.sweeping = Sweeping(sweep, job)
        return self.state.sweeping

    def _collect_sweep(self) -> None:
        """A sweep that has ended: its runs (stopped ones as far as they got) join the history, without
        replacing the current model."""
        with self.state.lock:
            sweeping = self.sweeping
            if sweeping is None or sweeping.kept is not None or sweeping.job.state not in ("done", "stopped"):
                return
            runs = sweeping.sweep.runs()
            self.state.join_history(runs)
            sweeping.kept = len(runs)
        self.save()

    def stop_sweep(self) -> None:
        if self.sweeping is not None:
            self.sweeping.job.request_stop()

    # --- runs and answers ---------------------------------------------------------------------------

    def keep(self, run: Run) -> None:
        """A finished or stopped run becomes the current model, joins the history, goes to the class, is saved."""
        self.state.record(run)
        self.classwork.run(run)
        self.save()

    def use_model(self, run: Run) -> None:
        """An uploaded model becomes the current one (it joins no history)."""
        self.state.make_current(run)

    def rename(self, run_id: str, name: str) -> str:
        return self.state.rename(run_id, name)

    def delete(self, run_id: str) -> Run:
        return self.state.delete(run_id)

    def clear_history(self) -> None:
        self.state.clear_history()

    def answer(self, exercise, typed: str):
        """The exercise's feedback on ``typed`` (its first ``MAX_ANSWER`` characters: checked, kept and posted
        alike), remembering what was typed (and a correct answer)."""
        typed = str(typed or "")[:MAX_ANSWER]
        feedback = exercise.check(typed)
        self.answered(exercise.id, typed, None if feedback is None else feedback.correct)
        return feedback

    def answered(self, exercise_id: str, typed: str, correct: bool | None) -> None:
        """Remember an answer; a new, checked one goes to the class, with how it was reached."""
        state = self.state
        if state.answered(exercise_id, typed, correct) and correct is not None:
            self.classwork.answer(exercise_id, typed, correct, state.tries.get(exercise_id, 1),
                                  exercise_id in state.peeked)

    def peek(self, exercise_id: str) -> None:
        """The learner chose to see an exercise's answer (the parameter count) before getting it right."""
        if not self.state.solved.get(exercise_id):
            self.state.peeked.add(exercise_id)

    def revealed(self, exercise_id: str) -> bool:
        """Whether an exercise's answer may show: answered right, or chosen to be seen."""
        return bool(self.state.solved.get(exercise_id)) or exercise_id in self.state.peeked

    def set_penguin(self, measurements: dict[str, float]) -> None:
        """The penguin last predicted, for the Predict page to start from and the Playground to follow."""
        self.state.penguin = dict(measurements)
