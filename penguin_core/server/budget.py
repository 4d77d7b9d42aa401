"""What one training costs the server, estimated before it starts, and the most one run may cost.

A gradient step costs a fixed overhead (NumPy calls), plus work for every
parameter (the optimizer's update) and for every parameter times every
penguin in the batch (the matrix products). The constants were measured on
the 2-core development machine (``benchmarks/budget.py`` prints the estimate
beside the measured time); the limit keeps one run to about half a minute of
one core there, so one learner cannot take the server from the others.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from penguin_core.errors import PenguinError

SECONDS_PER_STEP = 2.0e-4
SECONDS_PER_PARAMETER = 7.0e-9          # per step: the optimizer's update of one parameter
SECONDS_PER_PARAMETER_AND_PENGUIN = 4.0e-10  # per step: one parameter's share of the products, per penguin
MAX_SECONDS = 30.0
"""The most one training may cost, estimated on the development machine."""


@dataclass(frozen=True)
class Cost:
    steps: int
    parameters: int
    seconds: float

    def describe(self) -> str:
        return f"{self.steps:,} gradient steps × {self.parameters:,} parameters"


def training_cost(spec, n_train: int, n_inputs: int, n_outputs: int = 3) -> Cost:
    """The gradient steps, parameters and estimated seconds of training ``spec`` on ``n_train`` penguins."""
    steps = spec.epochs * math.ceil(n_train / spec.batch_size)
    parameters = spec.count_params(n_inputs, n_outputs)
    per_step = (SECONDS_PER_STEP + parameters * SECONDS_PER_PARAMETER
                + parameters * min(spec.batch_size, n_train) * SECONDS_PER_PARAMETER_AND_PENGUIN)
    return Cost(steps, parameters, steps * per_step)


def check_budget(spec, n_train: int, n_inputs: int, n_outputs: int = 3, limit: float = MAX_SECONDS) -> Cost:
    """The cost, or PenguinError naming the figures and what to lower when it is over ``limit``."""
    cost = training_cost(spec, n_train, n_inputs, n_outputs)
    if cost.seconds > limit:
        raise PenguinError(
            f"This training is too big for a shared server: {cost.describe()} would take about "
            f"{_duration(cost.seconds)} of computing, and one run may take about {_duration(limit)}. "
            f"Lower the epochs (at most about {_fitting_epochs(spec, cost, limit):,} with these settings), "
            "raise the batch size, or use fewer or smaller hidden layers.")
    return cost


def _fitting_epochs(spec, cost: Cost, limit: float) -> int:
    return max(1, int(spec.epochs * limit / cost.seconds))


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds / 3600:.1f} hours"
