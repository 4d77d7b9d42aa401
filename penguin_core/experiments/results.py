"""What a sweep found: each cell's mean test accuracy with its spread over seeds, in a chart and in words.

A difference between two cells is called larger than the noise only when
the gap between their means exceeds the sum of their seed-to-seed spreads
(standard deviations): a plain, conservative rule a learner can check by
eye on the chart's error bars. With one seed there is no spread to compare
with, and the words say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from penguin_core.engine import measure
from penguin_core.experiments.axes import AXES
from penguin_core.figures import LAYOUT, RUN_COLORS, VALIDATION_COLOR, PlainFigure


@dataclass(frozen=True)
class CellResult:
    cell: object  # Cell
    test: tuple[float, ...]  # test accuracy of each seed's run
    validation: tuple[float, ...]  # final validation accuracy of each seed's run (empty when none carved)
    epochs: tuple[int, ...]  # epochs each run trained (fewer after a Stop)

    @property
    def mean(self) -> float:
        return float(np.mean(self.test))

    @property
    def spread(self) -> float:
        """Standard deviation over seeds (0 with one seed)."""
        return float(np.std(self.test, ddof=1)) if len(self.test) > 1 else 0.0


@dataclass(frozen=True)
class SweepResults:
    axes: tuple  # (Axis, values) pairs
    cells: tuple[CellResult, ...]
    seeds: int

    @classmethod
    def of(cls, sweep) -> "SweepResults":
        by_cell: dict = {}
        for training, cell in zip(sweep.trainings, sweep.cells):
            if not training.history:
                continue
            _, accuracy = measure(training.network, *training.data.arrays("test"))
            val = training.history[-1].get("val_accuracy")
            test, validation, epochs = by_cell.setdefault(cell, ([], [], []))
            test.append(accuracy)
            epochs.append(len(training.history))
            if val is not None:
                validation.append(val)
        cells = tuple(CellResult(c, tuple(t), tuple(v), tuple(e)) for c, (t, v, e) in by_cell.items())
        return cls(sweep.axes, cells, len(sweep.seeds))

    def best(self) -> CellResult:
        return max(self.cells, key=lambda c: c.mean)

    def words(self) -> list[str]:
        """Plain sentences: the best cell, and which others differ from it by more than the seed-to-seed spread."""
        if not self.cells:
            return ["No run finished an epoch: nothing to compare yet."]
        best = self.best()
        lines = [f"Best: {best.cell.label()}, {best.mean:.1%} mean test accuracy"
                 + (f" (±{best.spread * 100:.1f} points over {len(best.test)} seeds)." if len(best.test) > 1 else ".")]
        if self.seeds < 2:
            lines.append("With one seed there is no measure of the noise: a difference may be luck. "
                         "Sweep again with 3 or more seeds to tell a setting's effect from the seed's.")
            return lines
        worse = [c for c in self.cells if c is not best and best.mean - c.mean > best.spread + c.spread]
        close = [c for c in self.cells if c is not best and c not in worse]
        if worse:
            lines.append("Worse by more than the seed-to-seed spread: " + "; ".join(
                f"{c.cell.label()} ({c.mean:.1%} ±{c.spread * 100:.1f})" for c in worse) + ".")
        if close:
            lines.append("Within the seed-to-seed spread of the best, so not shown to differ: " + "; ".join(
                f"{c.cell.label()} ({c.mean:.1%} ±{c.spread * 100:.1f})" for c in close) + ".")
        if not worse:
            lines.append("No value stands out from the noise: here the seed matters as much as this setting.")
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
                   "marker": {"color": RUN_COLORS[0], "opacity": 0.45, "size": 8}}]
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
        trace = {"type": "heatmap", "z": z, "text": text, "texttemplate": "%{text}", "colorscale": "Blues",
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
                    "seeds": len(c.test), "epochs": min(c.epochs)}
            if c.validation:
                row["mean validation accuracy"] = round(float(np.mean(c.validation)), 4)
            rows.append(row)
        return rows
