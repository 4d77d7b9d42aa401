"""Every figure the app draws: data in, Plotly (or Matplotlib) figure out, testable without a browser."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from penguin_core.engine.activations import activate
from penguin_core.data import FEATURES, SPECIES, TARGET, feature_label
from penguin_core.errors import PenguinError
from penguin_core.text import html_literal

SPECIES_COLORS = {"Adelie": "#FF8C00", "Chinstrap": "#A034F0", "Gentoo": "#159090"}
"""The palette of the palmerpenguins artwork, one colour a species everywhere in the app."""
LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=10), font=dict(size=14, color="#1a1a1a"))
"""Dark text at 14 px (readable on a projector); no Plotly template (copying one costs 15 ms a figure)."""
RUN_COLORS = ["#1f5fa8", "#c0392b", "#2e7d32", "#8e44ad", "#b9770e", "#117a8b", "#6d4c41", "#c2185b"]
"""One colour a run when runs are compared (dark enough to read on white)."""
VALIDATION_COLOR = "#c0392b"
"""A single run's validation curve: another colour than its training curve, not only another dash."""
MAX_POINTS = 400
"""A curve longer than this is drawn from evenly spaced epochs (always the last): 5000 epochs stay legible."""


class PlainFigure(go.Figure):
    """A figure kept as the plain dict Plotly's JavaScript reads. Plotly's Python objects cost about 2 ms a
    trace to build and validate; a live frame (regions, network, curves) cannot afford them, so its
    figures are plain dicts, and this wrapper hands one to ``st.plotly_chart`` as is. Only ``to_dict``
    works on it (all Streamlit asks of a figure)."""

    def __init__(self, spec: dict):  # deliberately not Plotly's __init__ (3 ms to copy its template)
        object.__setattr__(self, "_spec", spec)

    def to_dict(self) -> dict:
        return self._spec


def activation_curve(name: str, low: float = -4, high: float = 4) -> go.Figure:
    z = np.linspace(low, high, 201)
    figure = go.Figure(go.Scatter(x=z, y=activate(name, z), mode="lines", line=dict(width=3), name=name))
    figure.update_layout(title=f"{name}(x)", xaxis_title="weighted sum x", yaxis_title="output", height=300, **LAYOUT)
    figure.add_hline(y=0, line_color="grey", line_width=1)
    figure.add_vline(x=0, line_color="grey", line_width=1)
    return figure


def activations_and_derivatives(low: float = -4, high: float = 4, height: int = 520):
    """Every hidden activation f (solid) with its derivative f' (dashed), side by side: the slope is what
    backpropagation multiplies by, so where f' is 0 a unit stops learning (relu below 0, sigmoid's tails)."""
    from penguin_core.engine.activations import ACTIVATIONS, derivative

    z = np.linspace(low, high, 161)
    traces, axes = [], {}
    columns = 4
    for i, name in enumerate(ACTIVATIONS):
        a = activate(name, z)
        suffix = "" if i == 0 else str(i + 1)
        row, column = divmod(i, columns)
        gap, height_share = 0.06, (1 - 0.12) / 2
        axes[f"xaxis{suffix}"] = {"domain": [column / columns + 0.02, (column + 1) / columns - 0.02], "anchor": f"y{suffix}",
                                  "zeroline": True, "zerolinecolor": "#999999"}
        axes[f"yaxis{suffix}"] = {"domain": [1 - (row + 1) * height_share - row * gap, 1 - row * (height_share + gap)],
                                  "anchor": f"x{suffix}", "range": [-1.5, 4.2], "zeroline": True, "zerolinecolor": "#999999"}
        for values, label, dash in ((a, f"{name}(x)", "solid"), (derivative(name, z, a), f"{name}'(x)", "dash")):
            traces.append({"type": "scatter", "x": z.tolist(), "y": values.tolist(), "mode": "lines",
                           "xaxis": f"x{suffix}", "yaxis": f"y{suffix}", "name": label, "showlegend": False,
                           "line": {"color": "#1f5fa8" if dash == "solid" else "#c0392b", "dash": dash, "width": 2.5},
                           "hovertemplate": f"{label} = %{{y:.3f}} at x = %{{x:.2f}}<extra></extra>"})
        axes.setdefault("annotations", []).append({"text": f"<b>{name}</b> and its slope", "showarrow": False,
                                                   "xref": f"x{suffix} domain", "yref": f"y{suffix} domain",
                                                   "x": 0.5, "y": 1.12})
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "font": LAYOUT["font"], **axes}
    return PlainFigure({"data": traces, "layout": layout})


def class_balance(frame: pd.DataFrame) -> go.Figure:
    counts = frame[TARGET].value_counts().reindex(SPECIES).dropna()
    figure = go.Figure(go.Bar(x=counts.index, y=counts.values, text=counts.values,
                              marker_color=[SPECIES_COLORS[s] for s in counts.index]))
    figure.update_layout(title=f"Penguins per species ({int(counts.sum())} after dropna())", yaxis_title="count",
                         height=320, **LAYOUT)
    return figure


def pairplot_png(frame: pd.DataFrame) -> bytes:
    """The lesson's ``sns.pairplot(penguins, hue="species")``, rendered to PNG bytes (cacheable)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    grid = sns.pairplot(frame, hue=TARGET, palette=SPECIES_COLORS, height=2.0)
    buffer = io.BytesIO()
    grid.figure.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    plt.close(grid.figure)
    return buffer.getvalue()


def lesson_pairplot_png(timeout: float = 120.0) -> bytes:
    """``pairplot_png`` of the lesson's penguins, drawn in a separate Python process.

    Matplotlib and seaborn would stay in the server's memory (about 35 MB, and
    more for the figure) for one picture that never changes; a child process
    draws it and exits.
    """
    code = ("import sys; from penguin_core.data import load_penguins; from penguin_core.figures import pairplot_png; "
            "sys.stdout.buffer.write(pairplot_png(load_penguins()))")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=timeout, cwd=root,
                            env={**os.environ, "MPLBACKEND": "Agg"})
    if result.returncode != 0 or not result.stdout.startswith(b"\x89PNG"):
        raise PenguinError("The pairplot could not be drawn (seaborn failed in its process; the log has why).")
    return result.stdout


def scatter_matrix(frame: pd.DataFrame) -> go.Figure:
    features = [f for f in FEATURES if f in frame.columns]
    figure = go.Figure()
    for species, group in frame.groupby(TARGET, observed=True):
        figure.add_trace(go.Splom(
            dimensions=[dict(label=FEATURES[f][0], values=group[f]) for f in features], name=str(species),
            marker=dict(color=SPECIES_COLORS[str(species)], size=5, opacity=0.7), diagonal_visible=False,
            showupperhalf=False))
    figure.update_layout(title="Scatter matrix (hover, zoom, click the legend)", height=650, dragmode="select",
                         **LAYOUT)
    return figure


def distributions(frame: pd.DataFrame) -> go.Figure:
    features = [f for f in FEATURES if f in frame.columns]
    figure = make_subplots(rows=1, cols=len(features), subplot_titles=[feature_label(f) for f in features])
    for col, feature in enumerate(features, start=1):
        for species, group in frame.groupby(TARGET, observed=True):
            figure.add_trace(go.Box(y=group[feature], name=str(species), marker_color=SPECIES_COLORS[str(species)],
                                    showlegend=col == 1, legendgroup=str(species)), row=1, col=col)
    figure.update_layout(title="Each measurement by species", height=380, **LAYOUT)
    return figure


def network_diagram(sizes: list[int], inputs: list[str], outputs: list[str], activations: list[str],
                    max_drawn: int = 12) -> go.Figure:
    """Neurons as dots in columns (inputs, hidden layers, outputs), every connection a line."""
    columns = []
    for layer, size in enumerate(sizes):
        drawn = min(size, max_drawn)
        ys = np.linspace(1, -1, drawn) * (drawn - 1) / max(max(min(s, max_drawn) for s in sizes) - 1, 1)
        columns.append(ys)
    figure = go.Figure()
    edge_x, edge_y = [], []
    for layer in range(len(sizes) - 1):
        for y0 in columns[layer]:
            for y1 in columns[layer + 1]:
                edge_x += [layer, layer + 1, None]
                edge_y += [y0, y1, None]
    figure.add_trace(go.Scatter(x=edge_x, y=edge_y, mode="lines", line=dict(color="#c8c8c8", width=1),
                                hoverinfo="skip", showlegend=False))
    names = ["input", *[f"hidden {i} ({a})" for i, a in enumerate(activations, start=1)], "output (softmax)"]
    for layer, ys in enumerate(columns):
        if layer == 0:
            labels = [feature_label(f) for f in inputs][:len(ys)]
        elif layer == len(sizes) - 1:
            labels = list(outputs)
        else:
            labels = [f"unit {i + 1}" for i in range(len(ys))]
        color = "#4C78A8" if layer == 0 else "#F58518" if layer == len(sizes) - 1 else "#54A24B"
        figure.add_trace(go.Scatter(
            x=[layer] * len(ys), y=ys, mode="markers+text" if layer in (0, len(sizes) - 1) else "markers",
            marker=dict(size=22, color=color, line=dict(color="white", width=2)), text=labels,
            textposition="middle left" if layer == 0 else "middle right", hovertext=labels, hoverinfo="text",
            name=names[layer], showlegend=False))
        if sizes[layer] > max_drawn:
            figure.add_annotation(x=layer, y=ys[-1] - 0.25, text=f"… {sizes[layer]} in all", showarrow=False)
    figure.update_xaxes(tickvals=list(range(len(sizes))),
                        ticktext=[f"{n}<br>{s} neurons" for n, s in zip(names, sizes)], range=[-1.2, len(sizes) - 0.1])
    figure.update_yaxes(visible=False)
    figure.update_layout(height=420, **LAYOUT)
    return figure


def training_curves(runs: list[tuple[str, list[dict]]], total_epochs: int | None = None,
                    marker: int | None = None, height: int = 360, legend: bool = True) -> go.Figure:
    """Loss and accuracy per epoch, training solid and validation dashed, for one run or several to compare.

    One run: training and validation in two colours. Several: one colour a run.
    The loss goes on a log scale, labelled 1, 10, 100…, when it spans more
    than a factor of 100 (unscaled inputs start in the thousands).
    ``marker`` draws a vertical line at that epoch. Built in one step from
    arrays (no ``make_subplots``, no template), because the Train page redraws
    it while training: about 15 ms whatever the length.
    """
    traces, losses = [], []
    for i, (name, history) in enumerate(runs):
        shown = _thinned(history)
        epochs = np.array([r["epoch"] for r in shown])
        for axis, metric in (("", "loss"), ("2", "accuracy")):
            for prefix, dash in (("", "solid"), ("val_", "dash")):
                if not history or prefix + metric not in history[0]:
                    continue
                values = np.array([r[prefix + metric] for r in shown])
                if metric == "loss":
                    losses.append(values)
                color = RUN_COLORS[i % len(RUN_COLORS)] if len(runs) > 1 or not prefix else VALIDATION_COLOR
                traces.append(dict(
                    type="scatter", x=epochs.tolist(), y=values.tolist(), mode="lines", xaxis="x" + axis, yaxis="y" + axis,
                    line=dict(color=color, dash=dash, width=2.5), legendgroup=name, showlegend=not axis,
                    name=f"{html_literal(name)} {'validation' if prefix else 'training'}"))
    every_loss = np.concatenate(losses) if losses else np.array([1.0])
    log_loss = every_loss.min() > 0 and every_loss.max() / every_loss.min() > 100  # unscaled: thousands to 0.5
    epoch_range = [0, total_epochs] if total_epochs else None
    loss_axis = dict(anchor="x", type="linear", title="loss (log scale)" if log_loss else "loss")
    if log_loss:
        loss_axis |= dict(type="log", dtick=1, tickformat="~g")  # 0.1, 1, 10, 100, 1000: one label a decade
    layout = dict(
        xaxis=dict(domain=[0, 0.45], title="epoch", range=epoch_range),
        xaxis2=dict(domain=[0.55, 1], title="epoch", range=epoch_range),
        yaxis=loss_axis, yaxis2=dict(anchor="x2", range=[0, 1.02], title="accuracy"),
        height=height, legend=dict(orientation="h", y=-0.25), showlegend=legend, margin=LAYOUT["margin"],
        font=LAYOUT["font"],
    )
    if marker is not None:
        layout["shapes"] = [dict(type="line", xref=x, yref=f"{y} domain", x0=marker, x1=marker, y0=0, y1=1,
                                 line=dict(color="#1a1a1a", width=1.5, dash="dot")) for x, y in (("x", "y"), ("x2", "y2"))]
    return PlainFigure({"data": traces, "layout": layout})


def _thinned(history: list[dict]) -> list[dict]:
    if len(history) <= MAX_POINTS:
        return history
    keep = np.unique(np.linspace(0, len(history) - 1, MAX_POINTS).round().astype(int))
    return [history[i] for i in keep]


LIGHT_TO_DARK = [[0.0, "#f7fbff"], [0.5, "#6baed6"], [1.0, "#08306b"]]
"""Counts and accuracies: more is darker, so a confusion matrix's diagonal stands out (Plotly's own "Blues"
runs the other way: dark for zero)."""


def confusion_heatmap(confusion: pd.DataFrame, height: int = 360, title: str | None = None) -> PlainFigure:
    """Rows the true species, columns the predicted ones, the counts written in; a plain dict (drawn on every
    training's result page: Plotly's objects took 13 ms to build it)."""
    counts = confusion.to_numpy().tolist()
    layout = {**LAYOUT, "height": height,
              "yaxis": {"autorange": "reversed", "title": {"text": "true species"}},
              "xaxis": {"title": {"text": "predicted species"}, "side": "top"}}
    if title:
        layout |= {"title": {"text": title, "y": 0.02, "yanchor": "bottom"}, "margin": {**LAYOUT["margin"], "b": 40}}
    return PlainFigure({"data": [{
        "type": "heatmap", "z": counts, "x": list(confusion.columns), "y": list(confusion.index),
        "colorscale": LIGHT_TO_DARK, "zmin": 0, "text": counts, "texttemplate": "%{text}", "textfont": {"size": 20},
        "colorbar": {"thickness": 8, "xpad": 4, "nticks": 3, "outlinewidth": 0, "tickfont": {"size": 11}},
        "hovertemplate": "true %{y}, predicted %{x}: %{z} penguins<extra></extra>"}], "layout": layout})


def probability_bars(probabilities: dict[str, float]) -> PlainFigure:
    """Each species' probability as a bar (a plain figure: drawn on every slider step)."""
    species = list(probabilities)
    values = [float(probabilities[s]) for s in species]
    return PlainFigure({
        "data": [{"type": "bar", "x": values, "y": species, "orientation": "h", "text": [f"{v:.1%}" for v in values],
                  "textposition": "auto", "marker": {"color": [SPECIES_COLORS.get(s, "#888") for s in species]}}],
        "layout": {**LAYOUT, "title": {"text": "Probability per species"}, "height": 260,
                   "xaxis": {"range": [0, 1], "tickformat": ".0%"}, "yaxis": {"autorange": "reversed"}}})


def penguin_on_scatter(frame: pd.DataFrame, x: str, y: str, penguin: dict[str, float]) -> PlainFigure:
    """The training penguins by species, and the one being predicted as a black star (a plain figure: drawn
    on every slider step, the training penguins' part made once per data and axes)."""
    star = {"type": "scatter", "x": [float(penguin[x])], "y": [float(penguin[y])], "mode": "markers",
            "name": "your penguin", "marker": {"symbol": "star", "size": 22, "color": "black",
                                               "line": {"color": "white", "width": 1}}}
    return PlainFigure({"data": [*_species_points(frame, x, y), star],
                        "layout": {**LAYOUT, "height": 420, "xaxis": {"title": {"text": feature_label(x)}},
                                   "yaxis": {"title": {"text": feature_label(y)}}}})


_points: dict[tuple, list] = {}


def _species_points(frame: pd.DataFrame, x: str, y: str) -> list[dict]:
    key = (x, y, int(pd.util.hash_pandas_object(frame[[x, y, TARGET]]).sum()))
    if key not in _points:
        if len(_points) > 64:
            _points.clear()
        _points[key] = [{"type": "scatter", "x": group[x].tolist(), "y": group[y].tolist(), "mode": "markers",
                         "name": str(species), "marker": {"color": SPECIES_COLORS[str(species)], "size": 7,
                                                          "opacity": 0.6}}
                        for species, group in frame.groupby(TARGET, observed=True)]
    return _points[key]
