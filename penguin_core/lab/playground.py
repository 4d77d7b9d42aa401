"""The Playground's own training: played, paused, stepped, reset and replayed, on the lab's settings.

Like TensorFlow Playground, changing a setting starts the network afresh;
unlike a Train click, Play shows the training at a watchable pace: it asks
the server's queue for a few epochs at a time (so a learner playing waits in
line like everyone else) and the page draws a frame between them. A training
played to its last epoch is kept by the lab as any run is (``Lab.keep``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from penguin_core.errors import PenguinError
from penguin_core.server import trainer
from penguin_core.training import Training

FRAME_SECONDS = 0.25
"""About four frames a second while playing."""


def play_seconds(epochs: int) -> float:
    """How long a Play from the first epoch to the last takes: 5 s for the lesson's 100 epochs, 4 to 12 s."""
    return min(12.0, max(4.0, 0.05 * epochs))


@dataclass(eq=False)
class Playground:
    """The Playground of one tab; the settings themselves are the lab's.

    x_feature, y_feature: the decision regions' axes; held: the other inputs' values on that plane.
    chosen: the penguin followed through the network: a row label of the data, or "predict" for the
    Predict page's penguin. replay: the epoch shown instead of the latest, after a run.
    problem: why the lab's settings cannot train here (the batch larger than the training set, say).
    """

    lab: "Lab"
    training: Training | None = None
    playing: bool = False
    auto_train: bool = False
    x_feature: str = "flipper_length_mm"
    y_feature: str = "bill_length_mm"
    held: dict[str, float] = field(default_factory=dict)
    chosen: object = None
    replay: int | None = None
    kept: str = ""  # the name the finished training joined the run history under
    importance: tuple | None = None  # (the network's fingerprint, its permutation importance)
    problem: str = ""
    settings: tuple = ()  # the lab's (data_spec, model_spec) at the last reset

    def sync(self) -> bool:
        """Start afresh when the lab's settings are no longer the training's; True when it did."""
        if self.settings == (self.lab.state.data_spec, self.lab.state.model_spec):
            return False
        self.reset()
        return True

    def reset(self) -> None:
        """New initial weights from the seed (the same seed gives the same start), nothing trained."""
        state = self.lab.state
        self.settings = (state.data_spec, state.model_spec)
        try:
            self.training, self.problem = Training(self.lab.data(), state.model_spec), ""
        except PenguinError as error:  # a setting the lab accepted that cannot train on this data
            self.training, self.problem = None, str(error)
        self.playing, self.replay, self.kept = self.auto_train and self.training is not None, None, ""

    @property
    def epoch(self) -> int:
        return 0 if self.training is None else len(self.training.history)

    @property
    def done(self) -> bool:
        return self.training is not None and self.training.done

    def play(self) -> None:
        self.playing, self.replay = self.training is not None, None

    def pause(self) -> None:
        self.playing = False

    def frame_epochs(self) -> int:
        """Epochs per frame of a Play, so the whole run takes ``play_seconds``."""
        epochs = self.training.spec.epochs
        return max(1, math.ceil(epochs / (play_seconds(epochs) / FRAME_SECONDS)))

    def advance(self, epochs: int) -> None:
        """Train ``epochs`` more epochs through the server's queue and wait for them (PenguinError when the
        whole run is over the server's budget). Played to its last epoch, the run is kept by the lab."""
        self.replay = None
        job = trainer().advance(self.training, epochs, owner=self.lab.state.key, on_end=self._ended)
        while not job.finished:
            job.wait(0.05)

    def _ended(self, job) -> None:
        """The queue's call after each advance: a training played to its end is kept, once."""
        if self.training is job.training and self.training.done and not self.kept:
            run = self.training.run()
            run.name = self.kept = f"{self.lab.state.next_run_name()} (playground)"
            self.lab.keep(run)

    def network(self):
        """The network to show: the replayed epoch's, or the latest."""
        if self.replay is not None:
            return self.training.network_at(self.replay)[0]
        return self.training.network_now()
