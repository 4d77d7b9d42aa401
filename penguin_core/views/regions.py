"""Decision regions: the plane of two measurements coloured by the species the network predicts there.

The other inputs are held at values the learner chooses (the training
medians, and the most common island and sex, by default), so for a network
of more than two inputs the plane is a slice through its decision regions;
for a network trained on exactly those two, it is the true boundary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from penguin_core.data import FEATURES, feature_label
from penguin_core.prediction import one_hot_groups

SPECIES_RGB = {"Adelie": (255, 140, 0), "Chinstrap": (160, 52, 240), "Gentoo": (21, 144, 144)}


@dataclass(frozen=True, eq=False)
class Regions:
    x_feature: str
    y_feature: str
    xs: np.ndarray             # grid columns, raw units
    ys: np.ndarray             # grid rows, raw units
    probabilities: np.ndarray  # rows × columns × species
    species: tuple[str, ...]
    held: dict[str, float]

    @property
    def predicted(self) -> np.ndarray:
        """The species index predicted at each grid point (rows × columns)."""
        return self.probabilities.argmax(axis=2)


def held_defaults(training_frame: pd.DataFrame, features) -> dict[str, float]:
    """Each input's value when it is not on an axis: the training median; for a one-hot group (island, sex),
    1 for its most common value and 0 for the others."""
    held = {f: float(training_frame[f].median()) for f in features if f in FEATURES}
    for column, values in one_hot_groups(features).items():
        counts = {v: float(training_frame[f"{column}_{v}"].sum()) for v in values}
        common = max(counts, key=counts.get)
        held |= {f"{column}_{v}": float(v == common) for v in values}
    return held


def decision_regions(network, training_frame: pd.DataFrame, x_feature: str, y_feature: str,
                     held: dict[str, float] | None = None, resolution: int = 200) -> Regions:
    """The network's probabilities on a ``resolution``² grid over the two measurements' range (plus a margin)."""
    held = {**held_defaults(training_frame, network.features), **(held or {})}
    xs, ys = (_axis(training_frame[f], resolution) for f in (x_feature, y_feature))
    grid_x, grid_y = np.meshgrid(xs, ys)
    columns = []
    for feature in network.features:
        if feature == x_feature:
            columns.append(grid_x.ravel())
        elif feature == y_feature:
            columns.append(grid_y.ravel())
        else:
            columns.append(np.full(grid_x.size, held[feature]))
    probabilities = network.predict_proba(np.column_stack(columns).astype(np.float32))
    return Regions(x_feature, y_feature, xs, ys, probabilities.reshape(len(ys), len(xs), -1),
                   tuple(network.species), {f: held[f] for f in network.features if f not in (x_feature, y_feature)})


def describe(regions: Regions, network) -> str:
    """One sentence saying which case the learner sees: the true boundary, or a slice."""
    if set(network.features) == {regions.x_feature, regions.y_feature}:
        return ("This model was trained on exactly these two measurements: the colours are its true decision "
                "regions.")
    held = ", ".join(f"{feature_label(f).lower()} {v:g}" for f, v in regions.held.items())
    return (f"This model uses {len(network.features)} inputs: the plane is a slice through its decision regions, "
            f"with the others held at {held}.")


def region_image(regions: Regions) -> np.ndarray:
    """RGB pixels (rows from the top): each species' colour, paler where the model is less sure."""
    palette = np.array([SPECIES_RGB.get(s, (128, 128, 128)) for s in regions.species], dtype=np.float32)
    top = regions.probabilities.max(axis=2)
    chance = 1.0 / len(regions.species)
    sureness = np.clip((top - chance) / (1 - chance), 0, 1)[..., None]
    strength = 0.2 + 0.6 * sureness  # never white: even an unsure point shows which species wins
    colours = 255 - strength * (255 - palette[regions.predicted])
    return colours[::-1].round().astype(np.uint8)


def _axis(values: pd.Series, resolution: int) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    margin = 0.08 * (high - low or 1.0)
    return np.linspace(low - margin, high + margin, resolution)
