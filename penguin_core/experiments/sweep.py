"""A sweep: one setting (or two, for a grid) over a few values, each trained with several seeds.

"Does this setting matter, or is it the seed?" The runs of a sweep are
trained together by the batched engine, as one job of the learner's session
(``TrainingQueue.submit_sweep``), so a sweep costs the server about what one
long run does, and each run is exactly the run the same settings give alone.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field

import numpy as np

from penguin_core.training import Training
from penguin_core.errors import PenguinError
from penguin_core.experiments.axes import AXES, Axis
from penguin_core.preparation import DataSpec, prepare
from penguin_core.run import Run

MAX_SEEDS = 10
MAX_RUNS = 200


@dataclass(frozen=True)
class Cell:
    """One combination of the swept values, e.g. (("units", 10), ("standardize", True))."""

    values: tuple[tuple[str, object], ...]

    def label(self) -> str:
        return ", ".join(f"{AXES[name].label.split(' (')[0]} {AXES[name].show(v)}" for name, v in self.values)


@dataclass
class Sweep:
    """The runs a sweep asks for: every cell of the grid, with seeds ``seed, seed + 1, …``."""

    data_spec: DataSpec
    model_spec: object  # ModelSpec
    axes: tuple[tuple[Axis, tuple], ...]
    seeds: tuple[int, ...]
    trainings: list[Training] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)  # the cell of each training

    @classmethod
    def plan(cls, data_spec: DataSpec, model_spec, axes: list[tuple[str, object]], seeds: int) -> "Sweep":
        """Check the asked values and build every training (PenguinError on anything not allowed)."""
        if not 1 <= len(axes) <= 2 or len({name for name, _ in axes}) != len(axes):
            raise PenguinError("Choose one setting to sweep, or two different settings for a grid.")
        if not 1 <= seeds <= MAX_SEEDS:
            raise PenguinError(f"Choose from 1 to {MAX_SEEDS} seeds.")
        checked = tuple((AXES[name], tuple(AXES[name].values(values))) for name, values in axes)
        count = np.prod([len(values) for _, values in checked]) * seeds
        if count > MAX_RUNS:
            raise PenguinError(f"This sweep asks for {count} runs; at most {MAX_RUNS}. Use fewer values or seeds.")
        sweep = cls(data_spec, model_spec, checked, tuple(model_spec.seed + i for i in range(seeds)))
        prepared = {}
        for combination in itertools.product(*[values for _, values in checked]):
            data, model = data_spec, model_spec
            for (axis, _), value in zip(checked, combination):
                data, model = axis.apply(data, model, value)
            if data not in prepared:
                prepared[data] = prepare(data)
            cell = Cell(tuple((axis.name, value) for (axis, _), value in zip(checked, combination)))
            for seed in sweep.seeds:
                spec = dataclasses.replace(model, seed=seed)
                sweep.trainings.append(Training(prepared[data], spec))
                sweep.cells.append(cell)
        return sweep

    def runs(self, name_prefix: str = "sweep") -> list[Run]:
        """Each training as a Run (stopped ones as far as they got), named after its cell and seed."""
        runs = []
        for training, cell in zip(self.trainings, self.cells):
            if training.history:
                run = training.run()
                run.name = f"{name_prefix}: {cell.label()}, seed {training.spec.seed}"
                runs.append(run)
        return runs

    def results(self):
        """What the sweep found so far (a ``SweepResults``)."""
        from penguin_core.experiments.results import SweepResults

        return SweepResults.of(self, MAX_SEEDS)
