import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import train_test_split

from penguin_core.data import load_penguins
from penguin_core.errors import PenguinError
from penguin_core.preparation import DataSpec, prepare, split


def test_default_split_is_the_lessons(lesson_data):
    assert lesson_data.X_train.shape == (273, 4) and lesson_data.X_test.shape == (69, 4)
    assert lesson_data.y_train.sum().to_dict() == {"Adelie": 121, "Chinstrap": 54, "Gentoo": 98}
    assert lesson_data.X_val is None and lesson_data.scaling is None
    # The very call of the lesson, on the lesson's frame, picks the same rows.
    frame = load_penguins()
    features, target = frame.drop(columns=["species"]), pd.get_dummies(frame["species"])
    X_train, X_test, _, _ = train_test_split(features, target, test_size=0.2, random_state=0, shuffle=True,
                                             stratify=target)
    assert list(lesson_data.X_train.index) == list(X_train.index)
    assert list(lesson_data.X_test.index) == list(X_test.index)


def test_split_parameters_are_settable():
    data = prepare(DataSpec(test_size=0.3, random_state=7, stratify=False))
    assert len(data.X_test) == 103
    assert list(data.X_test.index) != list(prepare(DataSpec(test_size=0.3)).X_test.index)
    unshuffled = prepare(DataSpec(shuffle=False, stratify=False))
    assert list(unshuffled.X_test.index) == list(load_penguins().index[-69:])


def test_validation_is_carved_from_training_only(scaled_data):
    parts = [scaled_data.X_train.index, scaled_data.X_val.index, scaled_data.X_test.index]
    assert sum(map(len, parts)) == 342 and len(set().union(*parts)) == 342
    assert len(scaled_data.X_test) == 69 and len(scaled_data.X_val) == 55
    assert list(scaled_data.class_counts().columns) == ["train", "validation", "test"]


def test_standardization_is_fitted_on_training_only(scaled_data):
    X = scaled_data.X_train.to_numpy(np.float32)
    np.testing.assert_allclose(scaled_data.scaling.mean, X.mean(axis=0), rtol=1e-6)
    scaled = scaled_data.scaling.apply(X)
    np.testing.assert_allclose(scaled.mean(axis=0), 0, atol=1e-4)
    np.testing.assert_allclose(scaled.std(axis=0), 1, atol=1e-4)
    assert not np.allclose(scaled_data.scaling.apply(scaled_data.X_test.to_numpy(np.float32)).mean(axis=0), 0, atol=1e-3)


def test_data_spec_round_trips_through_a_dict():
    spec = DataSpec(features=("bill_length_mm", "body_mass_g"), categorical=("sex",), validation_size=0.1,
                    standardize=True)
    assert DataSpec.from_dict(spec.to_dict()) == spec
    assert spec.to_dict()["features"] == ["bill_length_mm", "body_mass_g"]


@pytest.mark.parametrize("values, message", [
    ({"test_size": 0}, "Test fraction must be a number from 0.05 to 0.8"),
    ({"test_size": 0.99}, "Test fraction must be a number from 0.05 to 0.8, got 0.99. Outside that, one part has too few"),
    ({"validation_size": 1.5}, "Validation fraction"),
    ({"validation_size": 0.01}, "Validation fraction must be 0 \\(none\\) or a number from 0.05 to 0.5"),
    ({"features": ()}, "at least one feature"),
    ({"features": ("wing_span",)}, "Measurements: 'wing_span' is not one of bill_length_mm"),
    ({"stratify": True, "shuffle": False}, "Stratify needs shuffle"),
])
def test_impossible_settings_are_refused(values, message):
    with pytest.raises(PenguinError, match=message):
        DataSpec(**values)


def test_unknown_setting_in_a_dict_is_named():
    with pytest.raises(PenguinError, match="Unknown setting 'tset_size'"):
        DataSpec.from_dict({"tset_size": 0.2})


def test_a_test_fraction_leaving_too_few_penguins_is_explained():
    few = load_penguins().groupby("species", observed=True).head(7)  # 21 penguins: 5% of them is one
    with pytest.raises(PenguinError, match="each part needs at least one penguin of each"):
        split(few, DataSpec(test_size=0.05))


def test_split_refuses_a_frame_with_missing_values():
    frame = load_penguins().copy()
    frame.loc[10, "bill_depth_mm"] = np.nan
    with pytest.raises(PenguinError, match="'bill_depth_mm' has a missing value \\(row 10\\)"):
        split(frame)
