"""Experiments: many runs at once. A sweep of one or two settings over seeds, and what it found.

    sweep = Sweep.plan(data_spec, model_spec, [("units", "2, 10, 50")], seeds=5)
    train_together(sweep.trainings)            # or trainer().submit_sweep(sweep.trainings, owner)
    results = sweep.results(); results.words(); results.figure()
"""

from penguin_core.experiments.axes import AXES, MAX_VALUES
from penguin_core.experiments.results import SweepResults
from penguin_core.experiments.sweep import MAX_RUNS, MAX_SEEDS, Sweep

__all__ = ["AXES", "MAX_RUNS", "MAX_SEEDS", "MAX_VALUES", "Sweep", "SweepResults"]
