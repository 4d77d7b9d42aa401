"""Measure performance on the test set: accuracy, loss, confusion matrix, per-species scores, mistakes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from penguin_core.network import Network
from penguin_core.training import measure


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
    true = np.asarray(species)[y.to_numpy().argmax(axis=1)]
    predicted = np.asarray(species)[probs.argmax(axis=1)]
    loss, accuracy = measure(network, X.to_numpy(np.float32), y.to_numpy(np.float32))
    confusion = pd.DataFrame(confusion_matrix(true, predicted, labels=species), index=species, columns=species)
    confusion.index.name, confusion.columns.name = "true species", "predicted species"
    precision, recall, f1, support = precision_recall_fscore_support(
        true, predicted, labels=species, zero_division=0)
    per_class = pd.DataFrame({"precision": precision, "recall": recall, "f1": f1, "support": support}, index=species)
    wrong = true != predicted
    misclassified = X[wrong].assign(
        true_species=true[wrong], predicted_species=predicted[wrong],
        confidence=probs[wrong].max(axis=1).round(3),
    )
    return Evaluation(accuracy, loss, confusion, per_class, misclassified)


def evaluate_run(run, data) -> Evaluation:
    """``evaluate`` on the run's test set."""
    return evaluate(run.network, data.X_test, data.y_test)
