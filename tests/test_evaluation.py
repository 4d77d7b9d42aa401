import numpy as np
import pytest

from penguin_core.evaluation import evaluate, evaluate_run
from penguin_core.model import ModelSpec
from penguin_core.training import train


def test_confusion_matrix_rows_are_true_columns_predicted(scaled_data):
    run = train(scaled_data, ModelSpec(epochs=30))
    result = evaluate_run(run, scaled_data)
    assert list(result.confusion.index) == list(result.confusion.columns) == ["Adelie", "Chinstrap", "Gentoo"]
    assert result.confusion.index.name == "true species"
    np.testing.assert_array_equal(result.confusion.sum(axis=1).to_numpy(), scaled_data.y_test.sum().to_numpy())
    assert result.accuracy == np.trace(result.confusion.to_numpy()) / len(scaled_data.X_test)
    assert result.accuracy == run.test_metrics["accuracy"] and result.loss == run.test_metrics["loss"]


def test_per_class_scores_and_misclassified_penguins(scaled_data):
    run = train(scaled_data, ModelSpec(epochs=3))
    result = evaluate(run.network, scaled_data.X_test, scaled_data.y_test)
    assert list(result.per_class.columns) == ["precision", "recall", "f1", "support"]
    cm = result.confusion.to_numpy()
    np.testing.assert_allclose(result.per_class["recall"], np.diag(cm) / cm.sum(axis=1))
    assert len(result.misclassified) == len(scaled_data.X_test) - np.trace(cm)
    assert set(result.misclassified.index) <= set(scaled_data.X_test.index)  # the lesson's row labels
    wrong = result.misclassified
    assert (wrong["true species"] != wrong["predicted species"]).all()
    assert list(wrong.columns[:3]) == ["true species", "predicted species", "confidence"]  # what matters first


def test_unscaled_lesson_model_misses_a_species_and_evaluation_says_which(lesson_data):
    """The teaching point: with raw grams and millimetres some species are never predicted."""
    run = train(lesson_data, ModelSpec(epochs=3))
    result = evaluate_run(run, lesson_data)
    assert result.never_predicted
    assert all(result.confusion[s].sum() == 0 for s in result.never_predicted)


@pytest.mark.parametrize("standardize, epochs", [(False, 3), (True, 40)])
def test_scores_are_scikit_learns(standardize, epochs, lesson_data, scaled_data):
    """Computed in NumPy (the server never imports scikit-learn), checked against scikit-learn here."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    data = scaled_data if standardize else lesson_data
    run = train(data, ModelSpec(epochs=epochs))
    result = evaluate_run(run, data)
    species = list(run.network.species)
    true = np.asarray(species)[data.y_test.to_numpy().argmax(1)]
    predicted = np.asarray(species)[run.network.predict_proba(data.X_test.to_numpy(np.float32)).argmax(1)]
    np.testing.assert_array_equal(result.confusion.to_numpy(), confusion_matrix(true, predicted, labels=species))
    expected = np.array(precision_recall_fscore_support(true, predicted, labels=species, zero_division=0)).T
    np.testing.assert_allclose(result.per_class.to_numpy(), expected)
