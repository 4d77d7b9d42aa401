"""Predict the species of one penguin, and say when it is unlike anything the model saw in training."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from penguin_core.data import FEATURES, feature_label
from penguin_core.errors import PenguinError

MAX_VALUE = {"mm": 1000.0, "g": 100_000.0}
"""No penguin measures more (an emperor weighs about 40 kg): larger values are typos."""
UNFAMILIAR_Z = 4.0
"""A penguin further than this many standard deviations from every species' average is flagged."""


@dataclass(frozen=True, eq=False)
class Profile:
    """What the training penguins looked like: each feature's range, each species' average and spread."""

    features: tuple[str, ...]
    species: tuple[str, ...]
    minimum: np.ndarray
    maximum: np.ndarray
    mean: np.ndarray  # species x features
    std: np.ndarray   # species x features

    @classmethod
    def fit(cls, X: np.ndarray, y: np.ndarray, features, species) -> "Profile":
        labels = y.argmax(axis=1)
        groups = [X[labels == k] for k in range(len(species))]
        return cls(tuple(features), tuple(species), X.min(axis=0), X.max(axis=0),
                   np.array([g.mean(axis=0) for g in groups]), np.array([g.std(axis=0) for g in groups]))

    def to_dict(self) -> dict:
        return {"features": list(self.features), "species": list(self.species),
                **{k: getattr(self, k).tolist() for k in ("minimum", "maximum", "mean", "std")}}

    @classmethod
    def from_dict(cls, values: dict) -> "Profile":
        arrays = {k: np.asarray(values[k], dtype=np.float64) for k in ("minimum", "maximum", "mean", "std")}
        return cls(tuple(values["features"]), tuple(values["species"]), **arrays)

    def warnings(self, x: np.ndarray) -> list[str]:
        """Sentences naming each feature outside the training range, and a penguin far from every species."""
        found = []
        for name, value, low, high in zip(self.features, x, self.minimum, self.maximum):
            unit = FEATURES.get(name, ("", ""))[1]
            if value < low:
                found.append(f"{feature_label(name)} {value:g} is {low - value:.4g} {unit} below the smallest "
                             f"in training ({low:g}).")
            elif value > high:
                found.append(f"{feature_label(name)} {value:g} is {value - high:.4g} {unit} above the largest "
                             f"in training ({high:g}).")
        z = np.abs(x - self.mean) / np.where(self.std > 0, self.std, 1.0)
        nearest = int(z.max(axis=1).argmin())
        worst = int(z[nearest].argmax())
        if z[nearest, worst] > UNFAMILIAR_Z:
            found.append(
                f"Far from every species: even the closest, {self.species[nearest]}, averages "
                f"{self.mean[nearest, worst]:.4g} for {feature_label(self.features[worst]).lower()}, "
                f"{z[nearest, worst]:.1f} standard deviations away from {x[worst]:g}."
            )
        return found


@dataclass(frozen=True)
class Prediction:
    species: str
    probabilities: dict[str, float]
    warnings: list[str]


def measurement_vector(features, measurements: Mapping[str, object]) -> np.ndarray:
    """The measurements in the network's feature order, validated; PenguinError names the bad one."""
    values = []
    for name in features:
        if name not in measurements:
            raise PenguinError(f"{feature_label(name)} is missing: this model needs {', '.join(map(feature_label, features))}.")
        values.append(_checked(name, measurements[name]))
    return np.array(values, dtype=np.float64)


def predict_one(network, measurements: Mapping[str, object], profile: Profile | None = None) -> Prediction:
    """Species probabilities for one penguin, e.g. ``{"bill_length_mm": 39.1, ...}``.

    Calls the network directly (microseconds), never ``model.predict``. With a
    ``profile`` the answer carries warnings when the penguin is unfamiliar.
    """
    x = measurement_vector(network.features, measurements)
    probabilities = network.predict_proba(x[None, :])[0]
    return Prediction(
        species=network.species[int(probabilities.argmax())],
        probabilities={s: float(p) for s, p in zip(network.species, probabilities)},
        warnings=profile.warnings(x) if profile is not None else [],
    )


def _checked(name: str, value: object) -> float:
    label = feature_label(name)
    if isinstance(value, str):
        text = value.strip()
        if text.count(",") == 1 and "." not in text:  # a decimal comma, as many learners write it
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise PenguinError(f"{label} must be a number, got {value!r}.") from None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise PenguinError(f"{label} must be a number, got {value!r}.")
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        raise PenguinError(f"{label} must be a finite number, got {value}.")
    if name not in FEATURES:  # a one-hot island/sex column
        if value not in (0.0, 1.0):
            raise PenguinError(f"{label} is a yes/no column: use 1 or 0, got {value:g}.")
        return value
    unit = FEATURES[name][1]
    if not 0 < value <= MAX_VALUE[unit]:
        raise PenguinError(f"{label} must be above 0 and at most {MAX_VALUE[unit]:g} {unit}, got {value:g}.")
    return value


def measurement_ranges(frame) -> dict[str, tuple[float, float, float]]:
    """For each measurement in ``frame``: a slider's (low, high, start), wide around the data, starting
    at the median penguin."""
    ranges = {}
    for name in FEATURES:
        if name in frame.columns:
            column = frame[name]
            step = 100.0 if FEATURES[name][1] == "g" else 1.0
            low = math.floor(column.min() * 0.8 / step) * step
            high = math.ceil(column.max() * 1.2 / step) * step
            ranges[name] = (low, high, float(column.median()))
    return ranges


def one_hot_groups(features) -> dict[str, list[str]]:
    """{'island': ['Biscoe', 'Dream', 'Torgersen']} for one-hot columns such as 'island_Biscoe'."""
    groups: dict[str, list[str]] = {}
    for name in features:
        if name not in FEATURES and "_" in name:
            column, value = name.split("_", 1)
            groups.setdefault(column, []).append(value)
    return groups
