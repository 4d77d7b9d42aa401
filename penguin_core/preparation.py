"""Prepare the data: choose the features, split train/validation/test, optionally standardize."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from penguin_core.data import SPECIES, TARGET, clean, load_raw
from penguin_core.engine.network import Scaling
from penguin_core.errors import PenguinError
from penguin_core.settings import Settings, setting
from penguin_core.splitting import split_indices


TEST_FRACTIONS = (setting("test_size").accepts.low, setting("test_size").accepts.high)
VALIDATION_FRACTIONS = (setting("validation_size").accepts.low, setting("validation_size").accepts.high)
"""The fractions the lab accepts: beyond them one part has too few penguins to mean anything."""


@dataclass(frozen=True)
class DataSpec(Settings):
    """How the data is prepared; the defaults are the lesson's (each field is a row of
    ``penguin_core.settings.SETTINGS``, which checks it).

    features:        numeric measurements fed to the network (any subset of FEATURES).
    categorical:     extra columns (island, sex) added one-hot encoded; the lesson drops them.
    standardize:     rescale each feature to mean 0, std 1 using the training part only.
    test_size:       fraction of penguins kept aside for the test set.
    validation_size: fraction of the *training* part carved off for validation (0 = none).
    random_state:    seed of the train/test shuffle.
    shuffle:         shuffle before splitting (stratify needs it).
    stratify:        keep each species' share equal in train and test.
    """

    PART = "data"
    features: tuple[str, ...] = setting("features").default
    categorical: tuple[str, ...] = setting("categorical").default
    standardize: bool = setting("standardize").default
    test_size: float = setting("test_size").default
    validation_size: float = setting("validation_size").default
    random_state: int = setting("random_state").default
    shuffle: bool = setting("shuffle").default
    stratify: bool = setting("stratify").default

    def __post_init__(self):
        self.check_settings()
        if not self.features and not self.categorical:
            raise PenguinError("Choose at least one feature: the network needs something to learn from.")
        if self.stratify and not self.shuffle:
            raise PenguinError("Stratify needs shuffle: scikit-learn can only stratify a shuffled split.")


@dataclass(frozen=True, eq=False)
class PreparedData:
    """The lesson's X_train, X_test, y_train, y_test (plus optional validation), as DataFrames.

    Index labels are the lesson's row numbers, so a misclassified penguin can be
    found in the raw table. Targets are one-hot, columns in SPECIES order.
    """

    spec: DataSpec
    frame: pd.DataFrame
    X_train: pd.DataFrame
    X_test: pd.DataFrame
    y_train: pd.DataFrame
    y_test: pd.DataFrame
    X_val: pd.DataFrame | None
    y_val: pd.DataFrame | None
    scaling: Scaling | None

    @property
    def features(self) -> tuple[str, ...]:
        return tuple(self.X_train.columns)

    @property
    def species(self) -> tuple[str, ...]:
        return tuple(self.y_train.columns)

    @property
    def training_frame(self) -> pd.DataFrame:
        """The training penguins with their species (to draw what the model learned from)."""
        return self.frame.loc[self.X_train.index]

    def arrays(self, part: str) -> tuple[np.ndarray, np.ndarray]:
        """(X, y) of 'train', 'val' or 'test' as float32 arrays, raw (scaling lives in the model)."""
        X, y = {"train": (self.X_train, self.y_train), "val": (self.X_val, self.y_val),
                "test": (self.X_test, self.y_test)}[part]
        if X is None:
            raise PenguinError("There is no validation set: set a validation fraction above 0.")
        return X.to_numpy(np.float32), y.to_numpy(np.float32)

    def class_counts(self) -> pd.DataFrame:
        """Penguins per species in each part, as the lesson's ``y_train.sum()``."""
        parts = {"train": self.y_train, "validation": self.y_val, "test": self.y_test}
        return pd.DataFrame({name: y.sum().astype(int) for name, y in parts.items() if y is not None})


def prepare(spec: DataSpec = DataSpec(), raw: pd.DataFrame | None = None) -> PreparedData:
    """Clean ``raw`` (default: the installed data set) and split it as ``spec`` says."""
    frame = clean(load_raw() if raw is None else raw, spec.features, spec.categorical)
    return split(frame, spec)


@functools.lru_cache(maxsize=64)
def prepared(spec: DataSpec) -> PreparedData:
    """``prepare(spec)`` of the installed data, computed once per server for each spec (read-only, shared)."""
    return prepare(spec)


def split(frame: pd.DataFrame, spec: DataSpec = DataSpec()) -> PreparedData:
    """Split a cleaned frame (the lesson's ``penguins_filtered``) into train, validation and test."""
    _check_clean(frame)
    features = frame.drop(columns=[TARGET])
    target = pd.get_dummies(frame[TARGET], dtype=float).reindex(columns=list(SPECIES), fill_value=0.0)
    target = target.loc[:, target.sum() > 0]
    X_train, X_test, y_train, y_test = _split(features, target, spec.test_size, spec, "test")
    X_val = y_val = None
    if spec.validation_size:
        X_train, X_val, y_train, y_val = _split(X_train, y_train, spec.validation_size, spec, "validation")
    scaling = Scaling.fit(X_train.to_numpy(np.float32)) if spec.standardize else None
    return PreparedData(spec, frame, X_train, X_test, y_train, y_test, X_val, y_val, scaling)


def _split(X, y, size, spec, part):
    """``train_test_split`` as the lesson calls it (see ``splitting``), with a learner's message for what cannot be split."""
    n_held = int(np.ceil(size * len(X)))
    counts = y.sum().to_numpy()
    if n_held < len(y.columns) and spec.stratify or n_held < 1 or len(X) - n_held < len(y.columns):
        raise PenguinError(
            f"A {part} fraction of {size:g} leaves {n_held} of {len(X)} penguins for {part} and {len(X) - n_held} "
            f"to train on: each part needs at least one penguin of each of the {len(y.columns)} species."
        )
    if spec.stratify and counts.min() < 2:
        raise PenguinError(f"Cannot stratify the {part} split: a species has fewer than 2 penguins left.")
    train, held = split_indices(len(X), size, spec.random_state, spec.shuffle,
                                y.to_numpy() if spec.stratify else None)
    return X.iloc[train], X.iloc[held], y.iloc[train], y.iloc[held]


def _check_clean(frame: pd.DataFrame) -> None:
    if not isinstance(frame, pd.DataFrame) or TARGET not in frame.columns:
        raise PenguinError("Expected a cleaned penguins DataFrame with a 'species' column.")
    if frame.empty:
        raise PenguinError("The data set is empty: there are no penguins to split.")
    for column in frame.columns:
        holes = frame.index[frame[column].isna()]
        if len(holes):
            raise PenguinError(f"Column {column!r} has a missing value (row {holes[0]}): drop it with dropna() first.")
        if column != TARGET and not pd.api.types.is_numeric_dtype(frame[column]):
            raise PenguinError(f"Column {column!r} is not numeric: the network only takes numbers.")
    if frame[TARGET].nunique() < 2:
        raise PenguinError("Only one species is present: a classifier needs at least two.")
