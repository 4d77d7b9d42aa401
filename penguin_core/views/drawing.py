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
