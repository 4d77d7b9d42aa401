"""scikit-learn's ``train_test_split``, index for index, in NumPy alone.

The lesson splits with ``train_test_split(..., random_state=0, shuffle=True,
stratify=target)``. Importing scikit-learn's model_selection costs the
server about 60 MB (SciPy comes with it) for a function of thirty lines, so
this is the same algorithm (``ShuffleSplit`` and ``StratifiedShuffleSplit``
with one split, including its tie-breaking draws from
``RandomState(random_state)``); ``tests/test_splitting.py`` checks that it
returns exactly scikit-learn's indices over a grid of fractions and seeds.
"""

from __future__ import annotations

import math

import numpy as np


def split_indices(n: int, test_size: float, random_state: int, shuffle: bool = True,
                  stratify: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) row positions, as ``train_test_split`` picks them; ``stratify`` is the one-hot target."""
    n_test = math.ceil(test_size * n)
    n_train = n - n_test
    if not shuffle:
        return np.arange(n_train), np.arange(n_train, n)
    rng = np.random.RandomState(random_state)
    if stratify is None:
        permutation = rng.permutation(n)
        return permutation[n_test:n_test + n_train], permutation[:n_test]
    return _stratified(np.asarray(stratify), n_train, n_test, rng)


def _stratified(y: np.ndarray, n_train: int, n_test: int, rng: np.random.RandomState):
    if y.ndim == 2:  # scikit-learn names each one-hot row by its text, and sorts the classes by it
        y = np.array([" ".join(row.astype("str")) for row in y])
    _, y_indices, class_counts = np.unique(y, return_inverse=True, return_counts=True)
    class_indices = np.split(np.argsort(y_indices, kind="stable"), np.cumsum(class_counts)[:-1])
    n_i = _approximate_mode(class_counts, n_train, rng)
    t_i = _approximate_mode(class_counts - n_i, n_test, rng)
    train, test = [], []
    for i, count in enumerate(class_counts):
        rows = class_indices[i].take(rng.permutation(count), mode="clip")
        train.extend(rows[:n_i[i]])
        test.extend(rows[n_i[i]:n_i[i] + t_i[i]])
    return rng.permutation(train), rng.permutation(test)


def _approximate_mode(class_counts: np.ndarray, n_draws: int, rng: np.random.RandomState) -> np.ndarray:
    """How many of each class to draw: the floor of each share, the rest to the largest remainders
    (ties broken by ``rng``), as ``sklearn.utils.extmath._approximate_mode``."""
    continuous = class_counts / class_counts.sum() * n_draws
    floored = np.floor(continuous)
    need_to_add = int(n_draws - floored.sum())
    if need_to_add > 0:
        remainder = continuous - floored
        for value in np.sort(np.unique(remainder))[::-1]:
            (candidates,) = np.where(remainder == value)
            add_now = min(len(candidates), need_to_add)
            floored[rng.choice(candidates, size=add_now, replace=False)] += 1
            need_to_add -= add_now
            if need_to_add == 0:
                break
    return floored.astype(int)
