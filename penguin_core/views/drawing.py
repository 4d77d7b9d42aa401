"""The network drawn: every input, hidden unit and output a node, every weight a line.

As TensorFlow Playground draws it: a line's colour gives its weight's sign
(one diverging palette: blue positive, red negative) and its width grows
with |w| up to a cap; biases show on the nodes. Beyond ``MAX_EDGES`` lines
the strongest are drawn and the drawing says so. Given a penguin, each node
also shows its value for that penguin: the measurement (and its
standardized value), each unit's activation, each species' probability:
the lesson's neuron exercise, followed through the whole network.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from penguin_core.data import FEATURES

MAX_EDGES = 600
WIDTH = (0.6, 7.0)  # the thinnest and the widest line, in pixels
POSITIVE, NEGATIVE = (33, 102, 172), (178, 24, 43)


@dataclass(frozen=True)
class Node:
    layer: int
    index: int
    label: str
    bias: float | None = None       # None for an input
    value: float | None = None      # this penguin's value here (activation, or probability for an output)
    raw: float | None = None        # an input's measurement before standardization


@dataclass(frozen=True)
class Edge:
    layer: int      # the edge goes from layer ``layer`` to ``layer + 1`` (0 = inputs)
    source: int
    target: int
    weight: float
    width: float


@dataclass(frozen=True)
class Drawing:
    sizes: tuple[int, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    total_edges: int

    @property
    def note(self) -> str:
        biases = f"; the {sum(self.sizes[1:]):,} biases (one a neuron) sit in the nodes."
        if len(self.edges) == self.total_edges:
            return f"Every one of the {self.total_edges:,} weights is drawn{biases}"
        return f"The {len(self.edges):,} strongest of {self.total_edges:,} weights are drawn{biases}"


def layer_values(network, x_raw) -> list[np.ndarray]:
    """One penguin through the network: [inputs as the first layer sees them, each hidden layer's
    activations, each species' probability]. (Inputs are standardized when the model standardizes.)"""
    return [values[0] for values in network.layer_values(np.asarray(x_raw)[None, :])]


def draw_network(network, x_raw=None, max_edges: int = MAX_EDGES) -> Drawing:
    """Nodes and edges of ``network``, each edge's width growing with |w| (capped); values for ``x_raw``."""
    values = layer_values(network, x_raw) if x_raw is not None else None
    sizes = (network.n_inputs, *(k.shape[1] for k in network.kernels))
    nodes = []
    for layer, size in enumerate(sizes):
        for i in range(size):
            if layer == 0:
                name = network.features[i]
                label = FEATURES[name][0] if name in FEATURES else name
            elif layer == len(sizes) - 1:
                label = network.species[i]
            else:
                label = f"hidden {layer}, unit {i + 1} ({network.activations[layer - 1]})"
            nodes.append(Node(layer, i, label, bias=None if layer == 0 else float(network.biases[layer - 1][i]),
                              value=None if values is None else float(values[layer][i]),
                              raw=None if values is None or layer else float(np.asarray(x_raw, float)[i])))
    weights = np.concatenate([k.ravel() for k in network.kernels])
    cap = float(np.percentile(np.abs(weights), 95)) or 1.0
    edges = [Edge(layer, s, t, float(kernel[s, t]), _width(float(kernel[s, t]), cap))
             for layer, kernel in enumerate(network.kernels)
             for s in range(kernel.shape[0]) for t in range(kernel.shape[1])]
    total = len(edges)
    if total > max_edges:
        edges = sorted(edges, key=lambda e: -abs(e.weight))[:max_edges]
    return Drawing(sizes, tuple(nodes), tuple(edges), total)


def _width(weight: float, cap: float) -> float:
    low, high = WIDTH
    return low + (high - low) * min(abs(weight) / cap, 1.0)


def _colour(weight: float, cap: float, strongest: float = 1.0) -> str:
    """Sign by hue, size by depth of colour; nodes stop at ``strongest`` so their numbers stay readable."""
    strength = 0.35 + (strongest - 0.35) * min(abs(weight) / cap, 1.0)
    r, g, b = POSITIVE if weight >= 0 else NEGATIVE
    mix = lambda c: round(255 - strength * (255 - c))  # noqa: E731
    return f"rgb({mix(r)},{mix(g)},{mix(b)})"


def _short(value: float) -> str:
    """A node's value in at most five characters, to sit inside its circle (the hover has it in full)."""
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.0f}"


def network_figure(drawing: Drawing, height: int = 420):
    """The drawing as a Plotly figure: lines in a few width bands; hovering a line's middle or a node shows
    its value. Built as a plain dict (``PlainFigure``): a live frame redraws it."""
    from penguin_core.figures import LAYOUT, PlainFigure

    tallest, last = max(drawing.sizes), len(drawing.sizes) - 1
    position = {(n.layer, n.index): (n.layer, tallest - 1 - ((tallest - drawing.sizes[n.layer]) / 2 + n.index))
                for n in drawing.nodes}
    cap = max((abs(e.weight) for e in drawing.edges), default=1.0)
    bands: dict[tuple[bool, int], list[Edge]] = {}
    for edge in drawing.edges:
        bands.setdefault((edge.weight >= 0, round(edge.width)), []).append(edge)
    traces = []
    for (_, width), edges in sorted(bands.items(), key=lambda item: item[0][1]):
        xs, ys = [], []
        for edge in edges:
            (x0, y0), (x1, y1) = position[(edge.layer, edge.source)], position[(edge.layer + 1, edge.target)]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
        strongest = max(edges, key=lambda e: abs(e.weight))
        traces.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "hoverinfo": "skip", "showlegend": False,
                       "line": {"width": max(width, 0.6), "color": _colour(strongest.weight, cap)}})
    names = {(n.layer, n.index): n.label for n in drawing.nodes}
    ends = [(position[(e.layer, e.source)], position[(e.layer + 1, e.target)], e) for e in drawing.edges]
    traces.append({"type": "scatter", "mode": "markers", "showlegend": False, "hoverinfo": "text",
                   "x": [(a[0] + b[0]) / 2 for a, b, _ in ends], "y": [(a[1] + b[1]) / 2 for a, b, _ in ends],
                   "marker": {"size": 7, "opacity": 0},
                   "hovertext": [f"weight {e.weight:+.3f}: {names[(e.layer, e.source)]} → {names[(e.layer + 1, e.target)]}"
                                 for _, _, e in ends]})
    small = tallest <= 16
    hovers = [_node_hover(node, last) for node in drawing.nodes]
    traces.append({
        "type": "scatter", "mode": "markers+text" if small else "markers", "showlegend": False, "hoverinfo": "text",
        "x": [position[(n.layer, n.index)][0] for n in drawing.nodes],
        "y": [position[(n.layer, n.index)][1] for n in drawing.nodes],
        "text": ["" if n.value is None or not small else _short(n.value) for n in drawing.nodes],
        "textposition": "middle center", "textfont": {"size": 10, "color": "#0e1117"}, "hovertext": hovers,
        "marker": {"size": 30 if small else 9, "line": {"color": "#1a1a1a", "width": 1.5},
                   "color": ["#ffffff" if n.bias is None else _colour(n.bias, cap, 0.6) for n in drawing.nodes]}})
    labels = [{"x": -0.18, "y": position[(0, n.index)][1], "text": n.label, "xanchor": "right", "showarrow": False}
              for n in drawing.nodes if n.layer == 0]
    labels += [{"x": last + 0.18, "y": position[(last, n.index)][1], "text": n.label, "xanchor": "left",
                "showarrow": False} for n in drawing.nodes if n.layer == last]
    layout = {"height": height, "annotations": labels, "margin": {"l": 105, "r": 80, "t": 20, "b": 10},
              "font": LAYOUT["font"], "xaxis": {"visible": False, "range": [-0.2, last + 0.2]},
              "yaxis": {"visible": False, "range": [-1, tallest]}}
    return PlainFigure({"data": traces, "layout": layout})


def _node_hover(node: Node, last: int) -> str:
    hover = node.label
    if node.raw is not None:
        hover += f": {node.raw:g}" + (f" (standardized {node.value:.3g})" if abs(node.raw - node.value) > 1e-6 else "")
    elif node.value is not None:
        hover += f": {'probability' if node.layer == last else 'activation'} {node.value:.4g}"
    if node.bias is not None:
        hover += f" · bias {node.bias:+.3f}"
    return hover
