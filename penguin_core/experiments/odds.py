"""How the lesson's own run fares over many seeds, unscaled and standardized: the figures behind what the
Train page says after a poor unscaled run ("6 of 20 unscaled seeds never predict a species").

Trained once per server, together by the batched engine (about half a second), while the server starts.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from penguin_core.engine import measure, train_together
from penguin_core.model import ModelSpec
from penguin_core.preparation import DataSpec, prepared
from penguin_core.training import Training

SEEDS = 20


@dataclass(frozen=True)
class Odds:
    """The lesson's model over seeds 0 to ``seeds - 1``: how many runs never predict a species, and the range
    of test accuracy."""

    standardize: bool
    seeds: int
    failed: int
    lowest: float
    highest: float


@functools.cache
def lesson_odds(standardize: bool, seeds: int = SEEDS) -> Odds:
    """The lesson's settings (standardized or not) trained with ``seeds`` seeds."""
    data = prepared(DataSpec(standardize=standardize))
    trainings = [Training(data, ModelSpec(seed=seed)) for seed in range(seeds)]
    train_together(trainings)
    X, y = data.arrays("test")
    accuracies, failed = [], 0
    for training in trainings:
        accuracies.append(measure(training.network, X, y)[1])
        failed += len(set(training.network.logits(X).argmax(1).tolist())) < y.shape[1]
    return Odds(standardize, seeds, failed, min(accuracies), max(accuracies))


def raw_swing() -> str:
    """How far a run on raw inputs swings with its initial weights, in one sentence (the Share page, the
    exported script): a Keras run of it may land anywhere in that range."""
    raw = lesson_odds(False)
    return (f"On raw inputs the result swings with the initial weights: the lesson's settings give "
            f"{raw.lowest:.0%} to {raw.highest:.0%} test accuracy over {raw.seeds} seeds in Penguin Lab, and "
            f"{raw.failed} of those runs never predict a species.")
