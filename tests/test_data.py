import numpy as np
import pandas as pd
import pytest

from penguin_core.data import FEATURES, SPECIES, clean, feature_label, load_penguins, load_raw
from penguin_core.errors import PenguinError


def test_raw_data_comes_in_the_lessons_row_order():
    raw = load_raw()
    assert len(raw) == 344
    assert list(raw.columns) == ["species", "island", "bill_length_mm", "bill_depth_mm",
                                 "flipper_length_mm", "body_mass_g", "sex"]
    # Adelie 0-151, Chinstrap 152-219, Gentoo 220-343, as in the lesson's copy of the data.
    assert raw.species.iloc[151] == "Adelie" and raw.species.iloc[152] == "Chinstrap"
    assert raw.species.iloc[219] == "Chinstrap" and raw.species.iloc[220] == "Gentoo"
    assert raw.loc[[3, 339], "bill_length_mm"].isna().all()  # the lesson's two incomplete rows
    assert raw.loc[0, "bill_length_mm"] == 39.1 and raw.loc[152, "bill_length_mm"] == 46.5


def test_lesson_cleaning_drops_columns_before_dropna():
    frame = load_penguins()
    assert frame.shape == (342, 5)
    assert 3 not in frame.index and 339 not in frame.index and frame.index[-1] == 343
    assert isinstance(frame.species.dtype, pd.CategoricalDtype)
    assert list(frame.species.cat.categories) == list(SPECIES)
    assert frame.species.value_counts().to_dict() == {"Adelie": 151, "Gentoo": 123, "Chinstrap": 68}


def test_units_are_known_for_every_feature():
    assert feature_label("body_mass_g") == "Body mass (g)"
    assert {unit for _, unit in FEATURES.values()} == {"mm", "g"}


def test_feature_subset_and_one_hot_categorical_columns():
    frame = load_penguins(features=["bill_length_mm"], categorical=["island", "sex"])
    assert "bill_depth_mm" not in frame.columns
    assert {"island_Biscoe", "island_Dream", "island_Torgersen", "sex_female", "sex_male"} <= set(frame.columns)
    assert len(frame) == 333  # sex is kept, so rows missing it go
    assert frame.filter(like="island_").sum(axis=1).eq(1).all()


@pytest.mark.parametrize("mutate, message", [
    (lambda f: f.drop(columns=["bill_depth_mm"]), "'bill_depth_mm' is missing"),
    (lambda f: f.assign(body_mass_g=f.body_mass_g.astype(object).where(f.index != 5, "heavy")), "'body_mass_g'.*'heavy'"),
    (lambda f: f.iloc[:0], "No penguin is left"),
    (lambda f: f[f.species == "Gentoo"], "only Gentoo"),
    (lambda f: f.assign(species=f.species.where(f.index != 0, "Emperor")), "unknown value 'Emperor'"),
    (lambda f: f.assign(bill_length_mm=np.inf), "infinite"),
])
def test_bad_frames_are_refused_with_the_column_named(mutate, message):
    with pytest.raises(PenguinError, match=message):
        clean(mutate(load_raw()))


def test_no_feature_at_all_is_refused():
    with pytest.raises(PenguinError, match="at least one feature"):
        clean(load_raw(), features=[])
