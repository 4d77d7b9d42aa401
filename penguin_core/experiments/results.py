"""What a sweep found: each cell's mean test accuracy with its spread over seeds, in a chart and in words.

The words say what the data says, in two parts. The mean: each value
against the best with Welch's t-test (the spreads may differ, as they do
when some seeds fail), the seeds named, and, when the gap is not shown,
about how many seeds would settle a gap that size. Reliability: the runs
that never predict a species (the lesson's failure) and a spread much wider
than the steadiest value's, which a mean alone hides. With one seed there
is no spread to compare with, and the words say so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from penguin_core.engine import measure
from penguin_core.experiments.axes import AXES
from penguin_core.figures import LAYOUT, LIGHT_TO_DARK, RUN_COLORS, VALIDATION_COLOR, PlainFigure


@dataclass(frozen=True)
class CellResult:
    cell: object  # Cell
    test: tuple[float, ...]  # test accuracy of each seed's run
    validation: tuple[float, ...]  # final validation accuracy of each seed's run (empty when none carved)
    epochs: tuple[int, ...]  # epochs each run trained (fewer after a Stop)
    missing: tuple[int, ...] = ()  # how many species each seed's run never predicts on the test set

    @property
    def mean(self) -> float:
        return float(np.mean(self.test))

    @property
    def spread(self) -> float:
        """Standard deviation over seeds (0 with one seed)."""
        return float(np.std(self.test, ddof=1)) if len(self.test) > 1 else 0.0

    @property
    def failed(self) -> int:
        """Runs that never predict at least one species."""
        return sum(1 for m in self.missing if m)

    def show(self) -> str:
        return f"{self.mean:.1%} ±{self.spread * 100:.1f}"


SIGNIFICANCE = 0.05
POWER_Z = 1.96 + 0.84  # a two-sided test at 5% that finds a real gap of the size seen 8 times in 10
WIDE = 0.05  # a spread this much wider than the steadiest value's (5 points) is named


def welch(a: CellResult, b: CellResult) -> float | None:
    """Welch's t-test p-value for the two cells' means (their spreads may differ); None when neither varies
    from seed to seed (every seed agrees: the means say it all)."""
    va, vb = (c.spread ** 2 / len(c.test) if c.spread > 1e-9 else 0.0 for c in (a, b))  # 1e-9: rounding
    if va + vb == 0:
        return None
    t = abs(a.mean - b.mean) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / sum(v ** 2 / (len(c.test) - 1) for v, c in ((va, a), (vb, b)) if v)
    return float(2 * stats.t.sf(t, df))


def seeds_to_settle(a: CellResult, b: CellResult) -> int:
    """About how many seeds each would show a gap of this size at 5%, 8 times in 10, at these spreads."""
    gap = abs(a.mean - b.mean)
    if gap == 0:
        return 10 ** 6
    return max(2, math.ceil(POWER_Z ** 2 * (a.spread ** 2 + b.spread ** 2) / gap ** 2))


@dataclass(frozen=True)
class SweepResults:
    axes: tuple  # (Axis, values) pairs
    cells: tuple[CellResult, ...]
    seeds: int
    most_seeds: int = 10  # the most a sweep may run

    @classmethod
    def of(cls, sweep, most_seeds: int) -> "SweepResults":
        by_cell: dict = {}
        for training, cell in zip(sweep.trainings, sweep.cells):
            if not training.history:
                continue
            X, y = training.data.arrays("test")
            _, accuracy = measure(training.network, X, y)
            predicted = set(training.network.logits(X).argmax(1).tolist())
            val = training.history[-1].get("val_accuracy")
            test, validation, epochs, missing = by_cell.setdefault(cell, ([], [], [], []))
            test.append(accuracy)
            epochs.append(len(training.history))
            missing.append(y.shape[1] - len(predicted))
            if val is not None:
                validation.append(val)
        cells = tuple(CellResult(c, *map(tuple, parts)) for c, parts in by_cell.items())
        return cls(sweep.axes, cells, len(sweep.seeds), most_seeds)

    def best(self) -> CellResult:
        return max(self.cells, key=lambda c: c.mean)

    def words(self) -> list[str]:
        """Plain sentences: the best value; which others differ from it in the mean, by Welch's t-test, or
        not yet (and how many seeds would tell); and which are less reliable."""
        if not self.cells:
            return ["No run finished an epoch: nothing to compare yet."]
        best = self.best()
        seeds = f"{len(best.test)} seed{'s' if len(best.test) != 1 else ''}"
        lines = [f"Best: {best.cell.label()}, {best.mean:.1%} mean test accuracy"
                 + (f" (±{best.spread * 100:.1f} points over {seeds})." if len(best.test) > 1 else ".")]
        if self.seeds < 2:
            return lines + ["With one seed there is no measure of the noise: a difference may be luck. "
                            "Sweep again with 3 or more seeds to tell a setting's effect from the seed's."]
        in_the_mean, shown = self._in_the_mean(best)
        reliability = self._reliability()
        lines += in_the_mean + reliability
        if not shown and not reliability:
            lines.append(f"No value stands out from the noise with {seeds}: here the seed matters as much as "
                         "this setting.")
        return lines

    def _in_the_mean(self, best: CellResult) -> tuple[list[str], bool]:
        """Each other value against the best, and whether any differs beyond the noise."""
        lines, shown = [], False
        for c in sorted((c for c in self.cells if c is not best), key=lambda c: -c.mean):
            gap, p = (best.mean - c.mean) * 100, welch(best, c)
            said = f"{c.cell.label()}: {c.show()}, {gap:.1f} points below the best on average"
            if p is None:
                shown |= gap > 0
                lines.append(f"{said}, on every one of {len(c.test)} seeds (no seed varies)." if gap > 0 else
                             f"{c.cell.label()}: the same accuracy as the best on every seed.")
            elif p < SIGNIFICANCE:
                shown = True
                lines.append(f"{said}: more than the noise (Welch's t-test over {len(c.test)} and "
                             f"{len(best.test)} seeds, p = {p:.2g}).")
            else:
                needed = seeds_to_settle(best, c)
                settle = (f"about {needed} seeds each would settle a gap this size" if needed <= self.most_seeds
                          else f"settling a gap this small would take about {needed} seeds each, more than a "
                          f"sweep's {self.most_seeds}: for practical purposes they do as well" if needed <= 1000
                          else "the gap is nothing next to the noise: they do as well")
                lines.append(f"{said}, which {len(c.test)} seeds do not tell apart from the noise (Welch's t-test, "
                             f"p = {p:.2g}): {settle}.")
        return lines, shown

    def _reliability(self) -> list[str]:
        """The values whose runs sometimes fail (a species never predicted) or swing widely from seed to seed."""
        steadiest = min(self.cells, key=lambda c: c.spread)
        lines = []
        for c in self.cells:
            said = []
            if c.failed:
                said.append(f"{c.failed} of {len(c.test)} runs never predict{'s' if c.failed == 1 else ''} a species")
            if c.spread - steadiest.spread > WIDE:
                said.append(f"its accuracy swings {c.spread * 100:.1f} points from seed to seed, against "
                            f"{steadiest.spread * 100:.1f} for {steadiest.cell.label()}")
            if said:
                lines.append(f"Less reliable: {c.cell.label()}: " + "; ".join(said) + ".")
        return lines

    def figure(self, height: int = 420) -> PlainFigure:
        """One setting: mean test accuracy against the value, spread as error bars, each seed a dot (validation
        too, when carved). Two settings: a heatmap of the mean, each cell labelled with mean and spread."""
        if len(self.axes) == 2:
            return self._heatmap(height)
        axis = self.axes[0][0]
        x = [axis.show(c.cell.values[0][1]) for c in self.cells]
        traces = [{"type": "scatter", "mode": "lines+markers", "name": "test accuracy (mean ± spread)",
                   "x": x, "y": [c.mean for c in self.cells], "line": {"color": RUN_COLORS[0], "width": 3},
                   "error_y": {"type": "data", "array": [c.spread for c in self.cells], "visible": True}},
                  {"type": "scatter", "mode": "markers", "name": "test accuracy of each seed",
                   "x": [xi for xi, c in zip(x, self.cells) for _ in c.test],
                   "y": [a for c in self.cells for a in c.test],
                   "marker": {"color": RUN_COLORS[0], "opacity": 0.45, "size": 8,
                              "symbol": ["x" if m else "circle" for c in self.cells for m in c.missing]}}]
        if all(c.validation for c in self.cells):
            traces.append({"type": "scatter", "mode": "lines+markers", "name": "validation accuracy (mean)",
                           "x": x, "y": [float(np.mean(c.validation)) for c in self.cells],
                           "line": {"color": VALIDATION_COLOR, "dash": "dash", "width": 2}})
        layout = {**LAYOUT, "height": height, "xaxis": {"title": {"text": axis.label}, "type": "category"},
                  "yaxis": {"title": {"text": "accuracy"}, "tickformat": ".0%"},
                  "legend": {"orientation": "h", "y": -0.25}}
        return PlainFigure({"data": traces, "layout": layout})

    def _heatmap(self, height: int) -> PlainFigure:
        (a, a_values), (b, b_values) = self.axes
        found = {(c.cell.values[0][1], c.cell.values[1][1]): c for c in self.cells}
        z = [[found[(u, v)].mean if (u, v) in found else None for u in a_values] for v in b_values]
        text = [[f"{found[(u, v)].mean:.1%}<br>±{found[(u, v)].spread * 100:.1f}" if (u, v) in found else ""
                 for u in a_values] for v in b_values]
        trace = {"type": "heatmap", "z": z, "text": text, "texttemplate": "%{text}", "colorscale": LIGHT_TO_DARK,
                 "x": [a.show(u) for u in a_values], "y": [b.show(v) for v in b_values],
                 "colorbar": {"title": {"text": "mean test<br>accuracy"}, "tickformat": ".0%"},
                 "hovertemplate": f"{a.label}: %{{x}}<br>{b.label}: %{{y}}<br>%{{text}}<extra></extra>"}
        layout = {**LAYOUT, "height": height, "xaxis": {"title": {"text": a.label}, "type": "category"},
                  "yaxis": {"title": {"text": b.label}, "type": "category"}}
        return PlainFigure({"data": [trace], "layout": layout})

    def table(self) -> list[dict]:
        """One row a cell, for a table beside the chart."""
        rows = []
        for c in self.cells:
            row = {AXES[name].label.split(" (")[0]: AXES[name].show(v) for name, v in c.cell.values}
            row |= {"mean test accuracy": round(c.mean, 4), "spread (points)": round(c.spread * 100, 2),
                    "seeds": len(c.test), "runs missing a species": c.failed, "epochs": min(c.epochs)}
            if c.validation:
                row["mean validation accuracy"] = round(float(np.mean(c.validation)), 4)
            rows.append(row)
        return rows
