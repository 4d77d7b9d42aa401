"""The Playground's own training: played, paused, stepped, reset and replayed, on the lab's settings.

Like TensorFlow Playground, changing a setting starts the network afresh;
unlike a Train click, Play shows the training at a watchable pace: it asks
the server's queue for a few epochs at a time (so a learner playing waits in
line like everyone else) and the page draws a frame between them. A
training played to its last epoch joins the lab's run history.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from penguin_core.engine.training import Training
from penguin_core.lab.trainer import trainer

FRAME_SECONDS = 0.25
"""About four frames a second while playing."""


def play_seconds(epochs: int) -> float:
    """How long a Play from the first epoch to the last takes: 5 s for the lesson's 100 epochs, 4 to 12 s."""
    return min(12.0, max(4.0, 0.05 * epochs))


@dataclass
class Playground:
    """Session state of the Playground page; the settings themselves are the lab's (``LabState``).

    x_feature, y_feature: the decision regions' axes; held: the other inputs' values on that plane.
    chosen: the penguin followed through the network: a row label of the data, or "predict" for the
    Predict page's penguin. replay: the epoch shown instead of the latest, after a run.
    """

    training: Training | None = None
    playing: bool = False
    auto_train: bool = False
    x_feature: str = "flipper_length_mm"
    y_feature: str = "bill_length_mm"
    held: dict[str, float] = field(default_factory=dict)
    chosen: object = None
    replay: int | None = None
    kept: bool = False  # the finished training is in the run history
    importance: tuple | None = None  # (the network's fingerprint, its permutation importance)

    def sync(self, state) -> bool:
        """Start afresh when the lab's settings are no longer the training's; True when it did."""
        training = self.training
        if training is not None and training.spec == state.model_spec and training.data.spec == state.data_spec:
            return False
        self.reset(state)
        return True

    def reset(self, state) -> None:
        """New initial weights from the seed (the same seed gives the same start), nothing trained."""
        self.training = Training(state.data(), state.model_spec)
        self.playing, self.replay, self.kept = self.auto_train, None, False

    @property
    def epoch(self) -> int:
        return 0 if self.training is None else len(self.training.history)

    @property
    def done(self) -> bool:
        return self.training is not None and self.training.done

    def frame_epochs(self) -> int:
        """Epochs per frame of a Play, so the whole run takes ``play_seconds``."""
        epochs = self.training.spec.epochs
        return max(1, math.ceil(epochs / (play_seconds(epochs) / FRAME_SECONDS)))

    def advance(self, state, epochs: int):
        """Queue ``epochs`` more epochs (PenguinError when the whole run is over the server's budget)."""
        return trainer().advance(self.training, epochs, owner=state.key)

    def network(self):
        """The network to show: the replayed epoch's, or the latest."""
        if self.replay is not None:
            return self.training.network_at(self.replay)[0]
        return self.training.network_now()

    def keep(self, state):
        """A training played to its last epoch joins the run history once (and becomes the current model)."""
        if self.done and not self.kept:
            run = self.training.run()
            run.name = f"{state.next_run_name()} (playground)"
            state.record(run)
            self.kept = True
            return run
        return None
