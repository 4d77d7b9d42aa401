"""The Palmer penguins, loaded offline and cleaned the way the lesson does it."""

from __future__ import annotations

import importlib.resources
from collections.abc import Sequence

import numpy as np
import pandas as pd

from penguin_core.errors import PenguinError

SPECIES = ("Adelie", "Chinstrap", "Gentoo")
"""The classes, in the lesson's order (the order of its one-hot columns)."""

FEATURES = {
    "bill_length_mm": ("Bill length", "mm"),
    "bill_depth_mm": ("Bill depth", "mm"),
    "flipper_length_mm": ("Flipper length", "mm"),
    "body_mass_g": ("Body mass", "g"),
}
"""The numeric measurements: column name -> (label, unit)."""

EXAMPLE_PENGUIN = {"bill_length_mm": 39.1, "bill_depth_mm": 18.7, "flipper_length_mm": 181.0, "body_mass_g": 3750.0}
"""The lesson's first penguin (row 0, an Adelie): a ready example for predictions."""

CATEGORICAL = ("island", "sex")
"""Columns the lesson drops; they can be added back one-hot encoded."""

TARGET = "species"


def feature_label(name: str) -> str:
    """'Bill length (mm)' for a measurement; the column name itself for a one-hot column."""
    if name in FEATURES:
        label, unit = FEATURES[name]
        return f"{label} ({unit})"
    return name


def load_raw() -> pd.DataFrame:
    """All 344 penguins as the lesson's copy has them: same rows, same order, same index labels.

    The CSV ships inside the ``palmerpenguins`` package, so nothing is downloaded.
    The package lists Gentoo before Chinstrap; a stable sort by species in the
    lesson's order gives back the lesson's row numbers.
    """
    path = importlib.resources.files("palmerpenguins") / "data" / "penguins.csv"
    with path.open("r") as handle:
        raw = pd.read_csv(handle)
    order = raw[TARGET].map({name: i for i, name in enumerate(SPECIES)})
    raw = raw.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)
    return raw.drop(columns=["year"])


def clean(
    raw: pd.DataFrame,
    features: Sequence[str] = tuple(FEATURES),
    categorical: Sequence[str] = (),
) -> pd.DataFrame:
    """The lesson's cleaning: keep species and the chosen columns, then ``dropna()``.

    Columns are dropped *before* ``dropna()``, as in the lesson, so a penguin
    missing only its sex stays in (342 rows with the defaults). ``categorical``
    columns (island, sex) come back one-hot encoded after the measurements.
    Raises PenguinError naming the column when the frame cannot be used.
    """
    features, categorical = list(features), list(categorical)
    if not features and not categorical:
        raise PenguinError("Choose at least one feature: the network needs something to learn from.")
    unknown = [c for c in categorical if c not in CATEGORICAL]
    if unknown:
        raise PenguinError(f"Unknown categorical column {unknown[0]!r}: choose from {', '.join(CATEGORICAL)}.")
    if not isinstance(raw, pd.DataFrame):
        raise PenguinError(f"Expected a pandas DataFrame of penguins, got {type(raw).__name__}.")
    missing = [c for c in [TARGET, *features, *categorical] if c not in raw.columns]
    if missing:
        raise PenguinError(f"Column {missing[0]!r} is missing; the frame has: {', '.join(map(str, raw.columns))}.")
    frame = raw[[TARGET, *features, *categorical]].dropna()
    for column in features:
        frame[column] = _numeric(frame[column], column)
    if frame.empty:
        raise PenguinError("No penguin is left after dropping rows with missing values.")
    species = frame[TARGET].astype(str)
    strange = sorted(set(species) - set(SPECIES))
    if strange:
        raise PenguinError(f"Column 'species' has unknown value {strange[0]!r}: expected one of {', '.join(SPECIES)}.")
    if species.nunique() < 2:
        raise PenguinError(f"Column 'species' holds only {species.iloc[0]}: a classifier needs at least two species.")
    frame[TARGET] = pd.Categorical(species, categories=list(SPECIES))
    if categorical:
        frame = pd.get_dummies(frame, columns=categorical, dtype=float)
    return frame


def load_penguins(features: Sequence[str] = tuple(FEATURES), categorical: Sequence[str] = ()) -> pd.DataFrame:
    """``load_raw()`` then ``clean()``: the lesson's ``penguins_filtered``."""
    return clean(load_raw(), features, categorical)


def _numeric(column: pd.Series, name: str) -> pd.Series:
    """The column as floats, or a PenguinError naming the first value that is not a number."""
    values = pd.to_numeric(column, errors="coerce")
    bad = column[values.isna()]
    if len(bad):
        raise PenguinError(f"Column {name!r} has a value that is not a number: {bad.iloc[0]!r} (row {bad.index[0]}).")
    values = values.astype(float)
    if not np.isfinite(values).all():
        raise PenguinError(f"Column {name!r} has an infinite value: measurements must be finite numbers.")
    return values
