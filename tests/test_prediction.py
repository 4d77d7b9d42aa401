import time

import numpy as np
import pytest

from penguin_core.errors import PenguinError
from penguin_core.model import ModelSpec
from penguin_core.prediction import predict_one
from penguin_core.training import train

ADELIE = {"bill_length_mm": 39.1, "bill_depth_mm": 18.7, "flipper_length_mm": 181, "body_mass_g": 3750}
GENTOO = {"bill_length_mm": 47.5, "bill_depth_mm": 15.0, "flipper_length_mm": 217, "body_mass_g": 5000}


@pytest.fixture(scope="module")
def run(scaled_data):
    return train(scaled_data, ModelSpec())


def test_one_penguin_gets_probabilities_and_a_species(run):
    result = predict_one(run.network, ADELIE, run.profile)
    assert result.species == "Adelie" and result.warnings == []
    assert list(result.probabilities) == ["Adelie", "Chinstrap", "Gentoo"]
    assert sum(result.probabilities.values()) == pytest.approx(1, abs=1e-5)
    assert predict_one(run.network, GENTOO, run.profile).species == "Gentoo"


def test_prediction_matches_the_keras_model(run):
    from penguin_core.keras_model import to_keras

    x = np.array([[ADELIE[f] for f in run.network.features]], np.float32)
    expected = to_keras(run.network)(x).numpy()[0]
    np.testing.assert_allclose(list(predict_one(run.network, ADELIE).probabilities.values()), expected, atol=1e-6)


def test_one_prediction_takes_well_under_ten_milliseconds(run):
    predict_one(run.network, ADELIE, run.profile)
    start = time.perf_counter()
    for _ in range(100):
        predict_one(run.network, ADELIE, run.profile)
    assert (time.perf_counter() - start) / 100 < 0.005


def test_values_outside_the_training_range_are_named_with_the_distance(run):
    warnings = predict_one(run.network, {**ADELIE, "body_mass_g": 7000}, run.profile).warnings
    top = run.profile.maximum[run.network.features.index("body_mass_g")]
    assert any(w.startswith("Body mass (g) 7000") and f"{7000 - top:.4g} g above the largest" in w for w in warnings)


def test_a_penguin_far_from_every_species_is_flagged_even_inside_the_ranges(run):
    # Each value is ordinary, the mix is not: an Adelie's bill on a Gentoo's flippers and mass.
    odd = {"bill_length_mm": 36.0, "bill_depth_mm": 21.0, "flipper_length_mm": 225, "body_mass_g": 5800}
    warnings = predict_one(run.network, odd, run.profile).warnings
    assert any(w.startswith("Far from every species") for w in warnings)
    assert not any("below the smallest" in w or "above the largest" in w for w in warnings)


def test_typical_training_penguins_are_not_flagged(run, scaled_data):
    X = scaled_data.X_train.to_numpy(float)
    flagged = sum(bool(run.profile.warnings(x)) for x in X)
    assert flagged <= 0.01 * len(X)


@pytest.mark.parametrize("value, message", [
    ("abc", "must be a number, got 'abc'"), (float("nan"), "finite number"), (-3, "above 0"),
    (0, "above 0"), (1e9, "at most 100000 g"), (None, "must be a number"), (float("inf"), "finite"),
])
def test_impossible_values_are_refused(run, value, message):
    with pytest.raises(PenguinError, match=message):
        predict_one(run.network, {**ADELIE, "body_mass_g": value})


def test_a_missing_measurement_is_named(run):
    with pytest.raises(PenguinError, match="Bill depth \\(mm\\) is missing"):
        predict_one(run.network, {k: v for k, v in ADELIE.items() if k != "bill_depth_mm"})


def test_numbers_typed_as_text_are_accepted(run):
    typed = {k: str(v) for k, v in ADELIE.items()}
    assert predict_one(run.network, typed).probabilities == predict_one(run.network, ADELIE).probabilities
