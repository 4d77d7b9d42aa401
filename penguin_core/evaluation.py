"""Measure performance on the test set: accuracy, loss, confusion matrix, per-species scores, mistakes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from penguin_core.engine import Network, measure
from penguin_core.preparation import prepared


@dataclass(frozen=True, eq=False)
class Evaluation:
    accuracy: float
    loss: float
    confusion: pd.DataFrame      # rows: true species, columns: predicted species (the lesson's orientation)
    per_class: pd.DataFrame      # precision, recall, f1, support per species
    misclassified: pd.DataFrame  # the test penguins it got wrong, with true and predicted species

    @property
    def never_predicted(self) -> list[str]:
        """Species the model never answers (a sign of unscaled inputs in the lesson)."""
        return [s for s in self.confusion.columns if self.confusion[s].sum() == 0]


def evaluate(network: Network, X: pd.DataFrame, y: pd.DataFrame) -> Evaluation:
    """Compare the network's answers for ``X`` with the one-hot truth ``y`` (both keep the lesson's row labels)."""
    species = list(network.species)
    probs = network.predict_proba(X.to_numpy(np.float32))
    true_index, predicted_index = y.to_numpy().argmax(axis=1), probs.argmax(axis=1)
    true, predicted = np.asarray(species)[true_index], np.asarray(species)[predicted_index]
    loss, accuracy = measure(network, X.to_numpy(np.float32), y.to_numpy(np.float32))
    counts = np.zeros((len(species), len(species)), dtype=int)
    np.add.at(counts, (true_index, predicted_index), 1)
    confusion = pd.DataFrame(counts, index=species, columns=species)
    confusion.index.name, confusion.columns.name = "true species", "predicted species"
    per_class = per_species_scores(counts, species)
    wrong = true != predicted
    misclassified = pd.concat([pd.DataFrame({
        "true species": true[wrong], "predicted species": predicted[wrong],
        "confidence": probs[wrong].max(axis=1).round(3)}, index=X.index[wrong]), X[wrong]], axis=1)
    return Evaluation(accuracy, loss, confusion, per_class, misclassified)


def per_species_scores(confusion: np.ndarray, species: list[str]) -> pd.DataFrame:
    """Precision, recall, F1 and support per species from a confusion matrix (0 where undefined),
    as scikit-learn's ``precision_recall_fscore_support(zero_division=0)``."""
    hits = np.diag(confusion).astype(float)
    predicted, support = confusion.sum(axis=0), confusion.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, hits / predicted, 0.0)
        recall = np.where(support > 0, hits / support, 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    return pd.DataFrame({"precision": precision, "recall": recall, "f1": f1, "support": support}, index=species)


def evaluate_run(run, data) -> Evaluation:
    """``evaluate`` on the run's test set."""
    return evaluate(run.network, data.X_test, data.y_test)


MEASURED = 256
"""The most evaluations kept, by weights and data: a class training the lesson's run shares one."""
_measured: OrderedDict[tuple, Evaluation] = OrderedDict()
_lock = threading.Lock()


def evaluation_of(run) -> Evaluation:
    """``evaluate_run`` on the data its settings prepare, computed once for the same weights and data (a
    page drawn again, a reload, 30 learners with the lesson's run)."""
    scaling = run.network.scaling
    key = (run.network.fingerprint(), run.network.features, run.data_spec,
           None if scaling is None else scaling.mean.tobytes() + scaling.variance.tobytes())
    with _lock:
        if key in _measured:
            _measured.move_to_end(key)
            return _measured[key]
    evaluation = evaluate_run(run, prepared(run.data_spec))
    with _lock:
        _measured[key] = evaluation
        while len(_measured) > MEASURED:
            _measured.popitem(last=False)
    return evaluation
