"""Weights kept along a training, to replay it: every epoch for short runs, evenly spaced for long ones.

At most ``MAX_SNAPSHOTS`` (200) are kept, and at most ``MAX_BYTES`` (5 MB) of
them: the lesson's network (83 parameters) keeps all 101 (before training and
after each of its 100 epochs) in 33 KB; two layers of 64 units (4,675
parameters) keep 200 in 3.7 MB; four layers of 256 units (199,427
parameters, 0.8 MB each) keep 6. The epoch before training (0) and the last
epoch are always kept. A lab keeps the snapshots of its current run only.
"""

from __future__ import annotations

import math

import numpy as np

MAX_SNAPSHOTS = 200
MAX_BYTES = 5 * 2**20


def snapshot_step(epochs: int, parameters: int) -> int:
    """Keep the weights every this many epochs."""
    fitting = max(2, min(MAX_SNAPSHOTS, MAX_BYTES // max(1, parameters * 4)))
    return max(1, math.ceil(epochs / (fitting - 1)))


class Snapshots:
    """epoch -> (kernels, biases), copies that later training cannot change."""

    def __init__(self, epochs: int, parameters: int):
        self.epochs, self.step = epochs, snapshot_step(epochs, parameters)
        self.kept: dict[int, tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]] = {}

    def wants(self, epoch: int) -> bool:
        return epoch % self.step == 0 or epoch == self.epochs

    def keep(self, epoch: int, kernels, biases) -> None:
        self.kept[epoch] = (tuple(k.copy() for k in kernels), tuple(b.copy() for b in biases))

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for kernels, biases in self.kept.values() for a in (*kernels, *biases))

    def up_to(self, epoch: int) -> "Snapshots":
        """The snapshots of the first ``epoch`` epochs (a stopped run keeps no later ones)."""
        copy = Snapshots.__new__(Snapshots)
        copy.epochs, copy.step = self.epochs, self.step
        copy.kept = {e: w for e, w in self.kept.items() if e <= epoch}
        return copy
