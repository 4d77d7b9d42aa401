"""The Playground's own training, on the lab's settings; the browser plays it (``pages/ui/components/``).

Like TensorFlow Playground, changing a setting starts the network afresh
from the seed's initial weights. The browser draws every view from the
weights it is given and plays, pauses, steps, replays and follows a
penguin by itself, at its own frame rate. When it needs epochs not trained
yet (Play or Step past them), it asks: ``train`` queues the rest of the run
through the server's queue, within the budget, as one job, and the weights
kept along it (``engine.snapshots``) are handed over as they come
(``browser_data``, the part the browser has not been given yet). A training
the learner played to its last epoch is kept by the lab as any run is.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

from penguin_core.errors import PenguinError
from penguin_core.server import trainer
from penguin_core.training import Training
from penguin_core.views import browser

_numbers = itertools.count(1)


@dataclass(eq=False)
class Playground:
    """The Playground of one tab; the settings themselves are the lab's.

    chosen: the penguin followed through the network (a row label of the data, or "predict" for the
    Predict page's penguin); shown: the epoch the browser last said it shows (what the contributions are
    computed for). problem: why the lab's settings cannot train here (a batch larger than the training set,
    say). number: this training's name in the browser; sent: how many of its snapshots and epochs the
    browser has been given.
    """

    lab: "Lab"
    training: Training | None = None
    job: object = None  # the queue's job training the rest of the run, once asked
    chosen: object = None
    shown: int = 0
    kept: str = ""  # the name the played-out training joined the run history under
    importance: tuple | None = None  # (the network's fingerprint, its permutation importance)
    problem: str = ""
    refused: str = ""
    settings: tuple = ()  # the lab's (data_spec, model_spec) at the last reset
    number: int = 0
    sent: tuple[int, int] = (0, 0)

    def sync(self) -> bool:
        """Start afresh when the lab's settings are no longer the training's; True when it did."""
        if self.settings == (self.lab.state.data_spec, self.lab.state.model_spec):
            return False
        self.reset()
        return True

    def reset(self) -> None:
        """New initial weights from the seed (the same seed gives the same start), nothing trained."""
        state = self.lab.state
        if self.job is not None:
            self.job.request_stop()
        self.settings = (state.data_spec, state.model_spec)
        try:
            self.training, self.problem = Training(self.lab.data(), state.model_spec), ""
        except PenguinError as error:  # a setting the lab accepted that cannot train on this data
            self.training, self.problem = None, str(error)
        self.job, self.shown, self.kept, self.importance, self.refused = None, 0, "", None, ""
        self.number, self.sent = next(_numbers), (0, 0)

    @property
    def epoch(self) -> int:
        """Epochs trained so far."""
        return 0 if self.training is None else len(self.training.history)

    @property
    def done(self) -> bool:
        return self.training is not None and self.training.done

    @property
    def running(self) -> bool:
        return self.job is not None and not self.job.finished

    def train(self, wait: float = 0.5) -> None:
        """Queue the rest of the run, unless it is trained or training; wait up to ``wait`` seconds for it, so a
        short run answers in one go. Over the server's budget: PenguinError, also kept in ``refused``."""
        if self.training is None or self.done or self.running:
            return
        try:
            self.job = trainer().advance(self.training, self.training.spec.epochs - self.epoch,
                                         owner=self.lab.state.key, client=self.lab.client)
        except PenguinError as error:
            self.refused = str(error)
            raise
        deadline = time.monotonic() + wait
        while not self.job.finished and time.monotonic() < deadline:
            self.job.wait(0.05)

    def played_out(self) -> None:
        """The browser played the run to its last epoch: it joins the run history (once)."""
        if self.done and not self.kept:
            run = self.training.run()
            run.name = self.kept = f"{self.lab.state.next_run_name()} (playground)"
            self.lab.keep(run)

    def browser_data(self, resend: bool = False) -> dict:
        """What the browser has not been given yet of this training: its snapshots and epoch records from
        where it stands (``resend``: all of them again), with the run's size and whether it trains on."""
        training = self.training
        with training.lock:
            kept = dict(training.snapshots.kept)
            history = list(training.history)
        epochs = sorted(kept)
        have_snapshots, have_epochs = (0, 0) if resend else self.sent
        new = {e: kept[e] for e in epochs[have_snapshots:]}
        self.sent = (len(epochs), len(history))
        return {"number": self.number, "epochs": training.spec.epochs, "step": training.snapshots.step,
                "trained": len(history), "running": self.running, "kept": self.kept, "refused": self.refused,
                "shown": self.shown,
                "snapshots": {"from": have_snapshots, **browser.snapshots(new)},
                "history": {"from": have_epochs, "records": history[have_epochs:]}}

    def network_at(self, epoch: int):
        """The network the browser shows at ``epoch`` (the nearest kept snapshot at or before it)."""
        return self.training.network_at(min(max(0, epoch), self.epoch))[0]
