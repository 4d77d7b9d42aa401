"""What each measurement contributes: permutation importance over the test set, and exact Shapley values
for one penguin.

Permutation importance (scikit-learn's ``permutation_importance``, with a
scorer wrapping the network): how much test accuracy drops when one
measurement's values are shuffled among the test penguins, repeated to show
the spread. Correlated measurements (flipper length and body mass) share
their importance: shuffling one leaves its twin to carry much of the same
information, so each looks less important than the pair is.

Shapley values: for one penguin and each species' probability, the average
of what a measurement adds when it joins every coalition of the others,
the missing ones taken from a background sample of training penguins. With
4 measurements there are only 16 coalitions, so they are computed exactly,
and they add up to the penguin's probability minus the background's average.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from penguin_core.data import feature_label


class _Scored:
    """The network as scikit-learn's inspection tools expect an estimator (they only score it)."""

    def __init__(self, network):
        self.network = network

    def fit(self, X, y):
        return self


def _accuracy(estimator, X, y) -> float:
    return float((estimator.network.predict_proba(X).argmax(1) == np.asarray(y).argmax(1)).mean())


@dataclass(frozen=True)
class Importance:
    features: tuple[str, ...]
    mean: np.ndarray   # drop in test accuracy when the feature is shuffled, averaged over repeats
    std: np.ndarray
    repeats: int


def permutation_importances(network, X: np.ndarray, y: np.ndarray, repeats: int = 10, seed: int = 0) -> Importance:
    """scikit-learn's permutation importance of each input for ``network`` on raw ``X`` and one-hot ``y``."""
    from sklearn.inspection import permutation_importance

    result = permutation_importance(_Scored(network), np.asarray(X, np.float32), np.asarray(y), scoring=_accuracy,
                                    n_repeats=repeats, random_state=seed)
    return Importance(tuple(network.features), result.importances_mean, result.importances_std, repeats)


@dataclass(frozen=True)
class Shapley:
    features: tuple[str, ...]
    species: tuple[str, ...]
    values: np.ndarray     # features × species: each measurement's push on each probability
    baseline: np.ndarray   # the background's average probability of each species
    prediction: np.ndarray  # this penguin's probabilities

    def sentence(self) -> str:
        """The biggest push on the predicted species, then what all the pushes add up to (which differs from
        the biggest one when others push the other way: said, so it never reads like a sum gone wrong)."""
        species = int(self.prediction.argmax())
        pushes = self.values[:, species] * 100
        feature = int(np.abs(pushes).argmax())
        name = self.species[species]
        biggest = (f"{feature_label(self.features[feature])} pushed {name} {'up' if pushes[feature] >= 0 else 'down'}"
                   f" the most: by {abs(pushes[feature]):.0f} points.")
        others = float(pushes.sum() - pushes[feature])  # what the rest add: biggest + others = the change
        rest = f"the other {len(pushes) - 1}" if len(pushes) > 2 else "the other one"
        return (f"{biggest} All {len(pushes)} measurements together take {name} from the average penguin's "
                f"{self.baseline[species]:.0%} to this one's {self.prediction[species]:.0%}"
                + (f": {rest} {'added' if others > 0 else 'took away'} {abs(others):.0f} points between them."
                   if abs(others) >= 0.5 and len(pushes) > 1 else "."))


def shapley_values(network, x, background: np.ndarray) -> Shapley:
    """Exact Shapley values of each input for each species' probability, for the raw penguin ``x``.

    v(S) is the mean probability over ``background`` with the inputs in S taken from ``x``.
    """
    x = np.asarray(x, np.float32)
    background = np.asarray(background, np.float32)
    n = len(x)
    value = {}
    for size in range(n + 1):
        for coalition in itertools.combinations(range(n), size):
            mixed = background.copy()
            mixed[:, list(coalition)] = x[list(coalition)]
            value[frozenset(coalition)] = network.predict_proba(mixed).mean(axis=0)
    shapley = np.zeros((n, len(network.species)))
    for i in range(n):
        others = [j for j in range(n) if j != i]
        for size in range(n):
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            for coalition in itertools.combinations(others, size):
                shapley[i] += weight * (value[frozenset(coalition) | {i}] - value[frozenset(coalition)])
    return Shapley(tuple(network.features), tuple(network.species), shapley, value[frozenset()],
                   network.predict_proba(x[None, :])[0])


def background_sample(X_train: np.ndarray, size: int = 50, seed: int = 0) -> np.ndarray:
    """A fixed random sample of training penguins stands for 'a measurement not known'."""
    rng = np.random.default_rng(seed)
    return X_train[rng.choice(len(X_train), size=min(size, len(X_train)), replace=False)]


def importance_figure(importance: Importance, height: int = 300):
    from penguin_core.figures import LAYOUT, PlainFigure

    order = np.argsort(importance.mean)
    return PlainFigure({"data": [{
        "type": "bar", "orientation": "h", "x": importance.mean[order].tolist(),
        "y": [feature_label(importance.features[i]) for i in order],
        "error_x": {"type": "data", "array": importance.std[order].tolist(), "color": "#1a1a1a"},
        "marker": {"color": "#1f5fa8"},
        "hovertemplate": "%{y}: accuracy drops by %{x:.3f}<extra></extra>"}],
        "layout": {"height": height, "margin": LAYOUT["margin"], "font": LAYOUT["font"],
                   "xaxis": {"title": {"text": f"drop in test accuracy when shuffled<br>(mean ± spread, "
                                               f"{importance.repeats} repeats)"}, "tickformat": ".0%"}}})


def shapley_figure(shapley: Shapley, height: int = 300):
    from penguin_core.figures import LAYOUT, SPECIES_COLORS, PlainFigure

    labels = [feature_label(f) for f in shapley.features]
    traces = [{"type": "bar", "orientation": "h", "name": species, "y": labels,
               "x": (shapley.values[:, k] * 100).tolist(), "marker": {"color": SPECIES_COLORS.get(species, "#555")},
               "hovertemplate": f"%{{y}}: {species} %{{x:+.1f}} points<extra></extra>"}
              for k, species in enumerate(shapley.species)]
    return PlainFigure({"data": traces, "layout": {
        "barmode": "group", "height": height, "margin": LAYOUT["margin"], "font": LAYOUT["font"],
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},  # above: the axis title is below
        "xaxis": {"title": {"text": "push on each species'<br>probability (points)"}}}})
