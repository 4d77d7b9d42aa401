"""Decision regions: the plane of two measurements coloured by the species the network predicts there.

The other inputs are held at values the learner chooses (the training
medians, and the most common island and sex, by default), so for a network
of more than two inputs the plane is a slice through its decision regions;
for a network trained on exactly those two, it is the true boundary.
"""

from __future__ import annotations

import base64
import io
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


def split_penguins(data, network) -> pd.DataFrame:
    """Every penguin of the split with its ``part`` (training or test), its true ``species`` and the species
    the network ``predicted`` for it: what ``regions_figure`` draws on the plane."""
    frames = []
    for part, X in (("training", data.X_train), ("test", data.X_test)):
        predicted = network.predict_proba(X.to_numpy(np.float32)).argmax(axis=1)
        frames.append(data.frame.loc[X.index].assign(
            part=part, species=data.frame.loc[X.index, "species"].astype(str),
            predicted=[network.species[i] for i in predicted]))
    return pd.concat(frames)


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


def png_data_uri(pixels: np.ndarray) -> str:
    """The pixels as a PNG data URI, a few kilobytes instead of a list of numbers per pixel."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _axis(values: pd.Series, resolution: int) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    margin = 0.08 * (high - low or 1.0)
    return np.linspace(low - margin, high + margin, resolution)


def regions_figure(regions: Regions, penguins: pd.DataFrame, star: tuple[float, float] | None = None,
                   height: int = 420):
    """The coloured plane, the penguins on it in their true species' colour (training dots, test diamonds,
    a black ring on each one the model gets wrong), and the chosen penguin as a star at ``star``.

    ``penguins`` has the two measurements, ``species``, ``part`` ('training'/'test') and ``predicted``;
    each point carries its row label as customdata, so a click on it can choose it. A plain-dict figure
    (``PlainFigure``): the Playground redraws it live.
    """
    from penguin_core.figures import LAYOUT, SPECIES_COLORS, PlainFigure

    x, y = regions.x_feature, regions.y_feature
    traces = []
    for (species, part), group in penguins.groupby(["species", "part"], observed=True, sort=False):
        traces.append({
            "type": "scatter", "mode": "markers", "name": f"{species} ({part})",
            "x": group[x].tolist(), "y": group[y].tolist(), "customdata": group.index.tolist(),
            "marker": {"color": SPECIES_COLORS.get(str(species), "#555555"), "size": 7 if part == "training" else 9,
                       "symbol": "circle" if part == "training" else "diamond", "line": {"color": "white", "width": 0.8}},
            "hovertemplate": f"row %{{customdata}}: {species} ({part})<extra></extra>"})
    wrong = penguins[penguins["species"] != penguins["predicted"]]
    traces.append({"type": "scatter", "mode": "markers", "name": "predicted wrongly",
                   "x": wrong[x].tolist(), "y": wrong[y].tolist(), "customdata": wrong.index.tolist(),
                   "text": wrong["predicted"].astype(str).tolist(),
                   "marker": {"symbol": "circle-open", "size": 14, "color": "#111111", "line": {"width": 2}},
                   "hovertemplate": "row %{customdata}: predicted %{text}<extra></extra>"})
    if star is not None:
        traces.append({"type": "scatter", "mode": "markers", "name": "chosen penguin", "hoverinfo": "skip",
                       "x": [star[0]], "y": [star[1]],
                       "marker": {"symbol": "star", "size": 20, "color": "#111111",
                                  "line": {"color": "white", "width": 1.5}}})
    xs, ys = regions.xs, regions.ys
    image = {"source": png_data_uri(region_image(regions)), "xref": "x", "yref": "y", "x": float(xs[0]),
             "y": float(ys[-1]), "sizex": float(xs[-1] - xs[0]), "sizey": float(ys[-1] - ys[0]),
             "sizing": "stretch", "layer": "below"}
    layout = {"height": height, "images": [image], "clickmode": "event+select", "showlegend": False,
              "margin": LAYOUT["margin"], "font": LAYOUT["font"],
              "xaxis": {"range": [float(xs[0]), float(xs[-1])], "title": {"text": feature_label(x)}, "showgrid": False,
                        "zeroline": False},
              "yaxis": {"range": [float(ys[0]), float(ys[-1])], "title": {"text": feature_label(y)}, "showgrid": False,
                        "zeroline": False}}
    return PlainFigure({"data": traces, "layout": layout})
