"""What the browser's views are given, as plain JSON: a network's layout, its weights (float32, base64)
along a training, the penguins of the split, and each measurement's range.

The browser computes every forward pass itself (``pages/ui/components/forward.js``), in float64 from the
same float32 weights, as ``Network.layer_values(X, dtype=np.float64)`` does here: that is the reference
its tests hold it to (1e-9). A lesson run's 101 snapshots weigh about 45 KB.
"""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd

from penguin_core.data import feature_label
from penguin_core.views.regions import held_defaults

MARGIN = 0.08
"""The decision regions' plane reaches this share of each measurement's range beyond the data."""


def floats(arrays) -> str:
    """Arrays as one base64 string of little-endian float32 values, in order, each row-major."""
    return base64.b64encode(b"".join(np.ascontiguousarray(a, dtype="<f4").tobytes() for a in arrays)).decode()


def layout(network) -> dict:
    """What the browser needs to run ``network`` but its weights: inputs, sizes, activations, scaling."""
    scaling = network.scaling
    return {"features": list(network.features), "labels": [feature_label(f) for f in network.features],
            "species": list(network.species), "sizes": [network.n_inputs, *(k.shape[1] for k in network.kernels)],
            "activations": list(network.activations),
            "scaling": None if scaling is None else {"mean": floats([scaling.mean]),
                                                     "variance": floats([scaling.variance])}}


def weights(kernels, biases) -> str:
    """One snapshot's weights: kernel 1, bias 1, kernel 2, bias 2... (a kernel: inputs × units)."""
    return floats([a for pair in zip(kernels, biases) for a in pair])


def snapshots(kept: dict[int, tuple]) -> dict:
    """The weights along a training: ``{"epochs": [...], "weights": [...]}``, epoch 0 (before training) first."""
    epochs = sorted(kept)
    return {"epochs": epochs, "weights": [weights(*kept[e]) for e in epochs]}


def penguins(data) -> dict:
    """Every penguin of the split: its row in the lesson's table, part (train or test), species (an index
    into the network's species), and its raw inputs in the network's order."""
    parts = [("train", data.X_train, data.y_train), ("test", data.X_test, data.y_test)]
    X = pd.concat([x for _, x, _ in parts])
    return {"rows": [int(row) for row in X.index], "part": [part for part, x, _ in parts for _ in range(len(x))],
            "species": [int(i) for _, _, y in parts for i in y.to_numpy().argmax(axis=1)],
            "inputs": X.to_numpy(np.float64).round(6).tolist()}


def plane(data) -> dict:
    """Each input's range on the plane (the training part's, plus a margin) and the value it is held at when
    it is not on an axis (the training median, or the most common island and sex)."""
    frame = data.training_frame
    ranges = {}
    for feature in data.features:
        low, high = float(frame[feature].min()), float(frame[feature].max())
        margin = MARGIN * (high - low or 1.0)
        ranges[feature] = [low - margin, high + margin]
    return {"ranges": ranges, "held": held_defaults(frame, data.features)}
