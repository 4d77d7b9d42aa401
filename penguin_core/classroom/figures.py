"""The board's charts: how the class answered an exercise, and the class's runs against a setting.

Names and answers are typed by learners: they reach Plotly (which renders a
few HTML tags in labels) only through ``html_literal``.
"""

from __future__ import annotations

from penguin_core.classroom.models import ClassRun
from penguin_core.figures import LAYOUT, PlainFigure
from penguin_core.text import html_literal

RIGHT, WRONG = "#2e7d32", "#c0392b"


def answers_figure(rows: list[tuple[str, int, bool]], height: int = 260) -> PlainFigure:
    """One bar per distinct answer (``ExerciseStats.distribution()``), green when right, red when wrong."""
    trace = {"type": "bar", "x": [html_literal(a) or "(blank)" for a, _, _ in rows], "y": [n for _, n, _ in rows],
             "marker": {"color": [RIGHT if right else WRONG for _, _, right in rows]},
             "text": [str(n) for _, n, _ in rows], "textposition": "outside", "hoverinfo": "skip"}
    layout = {**LAYOUT, "height": height, "xaxis": {"type": "category", "title": {"text": "answer"}},
              "yaxis": {"title": {"text": "learners"}, "dtick": 1, "rangemode": "tozero"}}
    return PlainFigure({"data": [trace], "layout": layout})


def runs_figure(runs: tuple[ClassRun, ...], setting: str, label: str, default: str,
                height: int = 340) -> PlainFigure:
    """Each run's value of ``setting`` (a link parameter; ``default`` for a run that kept the lesson's) against
    its test accuracy, on an axis from 0 to 100%, coloured by standardization, with a legend that says so."""
    traces = []
    for standardized, colour in ((False, "#b9770e"), (True, "#1f5fa8")):
        chosen = [r for r in runs if (r.settings.get("std") == "1") == standardized]
        traces.append({"type": "scatter", "mode": "markers", "name": "standardized" if standardized else "raw",
                       "x": [html_literal(r.settings.get(setting, default)) for r in chosen],
                       "y": [r.test_accuracy for r in chosen],
                       "text": [html_literal(r.name) for r in chosen], "hovertemplate": "%{text}: %{y:.1%}<extra></extra>",
                       "marker": {"size": 12, "color": colour, "opacity": 0.8}})
    layout = {**LAYOUT, "height": height, "xaxis": {"type": "category", "title": {"text": label}},
              "yaxis": {"title": {"text": "test accuracy"}, "tickformat": ".0%", "range": [0, 1.04]},
              "showlegend": True,
              "legend": {"orientation": "h", "y": -0.3, "title": {"text": "Each dot a run; inputs:"}}}
    return PlainFigure({"data": traces, "layout": layout})
