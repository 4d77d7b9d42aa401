"""Views of a network: the regions are its predictions, the drawing its weights, a replay its past,
and the contributions add up."""

import numpy as np
import pytest

from penguin_core.engine.network import Network
from penguin_core.engine.snapshots import snapshot_step
from penguin_core.training import Training, train
from penguin_core.model import HiddenLayer, ModelSpec
from penguin_core.neuron import LESSON_EXAMPLE, neuron
from penguin_core.preparation import DataSpec, prepare
from penguin_core.views.contributions import Shapley, background_sample, permutation_importances, shapley_values
from penguin_core.views.drawing import draw_network, layer_values
from penguin_core.views.regions import SPECIES_RGB, decision_regions, describe, region_image


@pytest.fixture(scope="module")
def standardized():
    data = prepare(DataSpec(standardize=True))
    return data, train(data, ModelSpec(epochs=60))


def test_the_grids_colours_are_the_models_predictions_there(standardized):
    data, run = standardized
    regions = decision_regions(run.network, data.training_frame, "flipper_length_mm", "bill_length_mm", resolution=40)
    rng = np.random.default_rng(0)
    for row, column in rng.integers(0, 40, size=(30, 2)):
        point = {**regions.held, "flipper_length_mm": regions.xs[column], "bill_length_mm": regions.ys[row]}
        x = np.array([[point[f] for f in run.network.features]], np.float32)
        assert regions.predicted[row, column] == run.network.predict_proba(x)[0].argmax()
    pixels = region_image(regions)[::-1].astype(float)  # rows from the bottom again
    palette = np.array([SPECIES_RGB[s] for s in regions.species], float)
    for row, column in rng.integers(0, 40, size=(30, 2)):
        shade = 255 - pixels[row, column]
        closeness = [np.dot(shade, 255 - c) / (np.linalg.norm(shade) * np.linalg.norm(255 - c)) for c in palette]
        assert np.argmax(closeness) == regions.predicted[row, column]


def test_the_plane_says_whether_it_is_the_true_boundary_or_a_slice(standardized):
    data, run = standardized
    two = prepare(DataSpec(features=("flipper_length_mm", "bill_length_mm"), standardize=True))
    pair = train(two, ModelSpec(epochs=5)).network
    assert "true decision regions" in describe(decision_regions(pair, two.training_frame, "flipper_length_mm",
                                                                "bill_length_mm", resolution=10), pair)
    sliced = describe(decision_regions(run.network, data.training_frame, "flipper_length_mm", "bill_length_mm",
                                       resolution=10), run.network)
    assert "a slice" in sliced and "held at bill depth (mm)" in sliced


def test_one_edge_per_weight_and_widths_in_the_order_of_their_size(standardized):
    network = standardized[1].network
    drawing = draw_network(network)
    assert len(drawing.edges) == drawing.total_edges == 4 * 10 + 10 * 3
    assert drawing.note == "Every one of the 70 weights is drawn; the 13 biases (one a neuron) sit in the nodes."
    assert {(e.layer, e.source, e.target) for e in drawing.edges} == {
        (layer, s, t) for layer, k in enumerate(network.kernels) for s in range(k.shape[0]) for t in range(k.shape[1])}
    by_size = sorted(drawing.edges, key=lambda e: abs(e.weight))
    assert [e.width for e in by_size] == sorted(e.width for e in by_size)  # wider is larger
    assert max(e.width for e in drawing.edges) == 7.0  # and capped


def test_a_wide_network_draws_its_strongest_weights_and_says_so(scaled_data):
    network = train(scaled_data, ModelSpec(hidden=(HiddenLayer(64),) * 4, epochs=1)).network
    drawing = draw_network(network)
    weakest_drawn = min(abs(e.weight) for e in drawing.edges)
    every = np.abs(np.concatenate([k.ravel() for k in network.kernels]))
    assert len(drawing.edges) == 600 and (every > weakest_drawn).sum() < 600
    assert drawing.note.startswith(f"The 600 strongest of {every.size:,} weights are drawn; the ")


def test_the_lessons_neuron_shows_the_neuron_pages_number():
    """Inputs (0, 0.5, 1), weights (-1, -0.5, 0.5), bias 1, relu: 1.25 here as on the neuron page."""
    example = LESSON_EXAMPLE
    network = Network(("a", "b", "c"), ("Adelie", "Chinstrap", "Gentoo"),
                      (np.array(example["weights"], np.float32)[:, None], np.zeros((1, 3), np.float32)),
                      (np.array([example["bias"]], np.float32), np.zeros(3, np.float32)),
                      (example["activation"], "softmax"))
    hidden = layer_values(network, example["inputs"])[1][0]
    assert hidden == pytest.approx(neuron(**example).output) == 1.25
    node = next(n for n in draw_network(network, example["inputs"]).nodes if n.layer == 1)
    assert node.value == pytest.approx(1.25) and node.bias == 1.0


def test_replaying_an_epoch_gives_that_epochs_loss_and_fingerprint(standardized):
    data = standardized[0]
    training = Training(data, ModelSpec(epochs=30))
    for _ in training:
        pass
    for k in (0, 1, 7, 30):
        again = Training(data, ModelSpec(epochs=30))
        for _ in range(k):
            again.epoch()
        network, kept = training.network_at(k)
        assert kept == k and network.fingerprint() == again.network_now().fingerprint()
        if k:
            assert training.history[k - 1]["loss"] == again.history[-1]["loss"]


def test_snapshots_stay_within_their_memory():
    assert snapshot_step(100, 83) == 1  # the lesson: every epoch
    assert snapshot_step(5000, 199_427) >= 5000 // 6  # four layers of 256: a handful
    data = prepare(DataSpec())
    run = train(data, ModelSpec(hidden=(HiddenLayer(256),) * 4, epochs=12))
    assert run.snapshots.nbytes <= 5 * 2**20 and {0, 12} <= set(run.snapshots.kept)


def zeroed(network: Network, feature: int) -> Network:
    kernels = list(network.kernels)
    kernels[0] = kernels[0].copy()
    kernels[0][feature] = 0
    return network.with_weights(kernels, network.biases)


def test_a_feature_the_network_ignores_has_no_importance_and_no_shapley_value(standardized):
    data, run = standardized
    network = zeroed(run.network, 2)  # flipper length no longer reaches the hidden layer
    importance = permutation_importances(network, *data.arrays("test"), repeats=10)
    assert importance.mean[2] == 0 and importance.std[2] == 0 and importance.mean.max() > 0
    X_train, _ = data.arrays("train")
    shapley = shapley_values(network, data.arrays("test")[0][3], background_sample(X_train))
    assert np.all(shapley.values[2] == 0) and np.abs(shapley.values).max() > 0


def test_shapley_values_add_up_to_the_prediction_minus_the_average(standardized):
    data, run = standardized
    X_test, _ = data.arrays("test")
    background = background_sample(data.arrays("train")[0])
    for x in X_test[:5]:
        shapley = shapley_values(run.network, x, background)
        np.testing.assert_allclose(shapley.values.sum(axis=0), shapley.prediction - shapley.baseline, atol=1e-6)
    assert "pushed" in shapley.sentence() and "points" in shapley.sentence()


def test_the_shapley_sentence_adds_up():
    """The issue's reading: "pushed Chinstrap up by 4 points (from 40% to 41%)" looked like a sum gone wrong."""
    values = np.array([[0.0, 0.04, -0.04], [0.0, -0.02, 0.02], [0.0, -0.01, 0.01], [0.0, 0.0, 0.0]])
    shapley = Shapley(("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"),
                      ("Adelie", "Chinstrap", "Gentoo"), values, np.array([0.3, 0.40, 0.3]),
                      np.array([0.3, 0.41, 0.29]))
    assert shapley.sentence() == (
        "Bill length (mm) pushed Chinstrap up the most: by 4 points. All 4 measurements together take Chinstrap from "
        "the average penguin's 40% to this one's 41%: the other 3 took away 3 points between them.")
