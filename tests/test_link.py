"""Settings in the address: written as changes from the lesson's, read back exactly, mistakes named."""

import pytest

from penguin_core.lab import LabState, link_params, setup_link, setup_params
from penguin_core.lab.link import Setup, from_params, to_params
from penguin_core.model import HiddenLayer, ModelSpec
from penguin_core.preparation import DataSpec


def test_the_lessons_setup_is_the_bare_address():
    assert to_params(Setup()) == {}


@pytest.mark.parametrize("setup", [
    Setup(DataSpec(standardize=True, validation_size=0.2, features=("bill_length_mm", "flipper_length_mm")),
          ModelSpec(hidden=(HiddenLayer(16), HiddenLayer(8, "tanh")), epochs=300, learning_rate=0.01, seed=7)),
    Setup(DataSpec(categorical=("island", "sex"), stratify=False, shuffle=False, test_size=0.3, random_state=4),
          ModelSpec(hidden=(), optimizer="sgd", batch_size=8)),
])
def test_a_setup_reads_back_exactly(setup):
    params = to_params(setup)
    assert from_params(params) == (setup, [])
    assert all(isinstance(v, str) and len(v) < 100 for v in params.values())


def test_a_mistyped_link_keeps_what_it_can_and_names_the_rest():
    setup, ignored = from_params({"epochs": "99999", "hidden": "abc", "std": "1", "lr": "nan", "colour": "blue",
                                  "seed": "12"})
    assert setup.data_spec.standardize and setup.model_spec.seed == 12
    assert setup.model_spec.epochs == 100 and setup.model_spec.hidden == ModelSpec().hidden
    text = " | ".join(ignored)
    assert "epochs='99999': Epochs must be a whole number from 1 to 5000" in text
    assert "hidden='abc'" in text and "lr='nan'" in text and "'colour' is not a setting" in text


def test_settings_that_clash_drop_the_later_one():
    setup, ignored = from_params({"shuffle": "0"})
    assert setup.data_spec.shuffle and ignored == ["shuffle: Stratify needs shuffle: scikit-learn can only "
                                                   "stratify a shuffled split"]
    assert from_params({"shuffle": "0", "stratify": "0"}) == (Setup(DataSpec(shuffle=False, stratify=False)), [])


def test_huge_or_many_parameters_cost_nothing():
    setup, ignored = from_params({f"p{i}": "x" * 10_000 for i in range(10_000)})
    assert setup == Setup() and len(ignored) <= 50


def test_a_shared_setup_never_carries_the_lab_key():
    state = LabState(model_spec=ModelSpec(epochs=300))
    assert "lab" not in setup_params(state) and link_params(state)["lab"] == state.key
    assert setup_link("http://lab:8501/train", setup_params(state)) == "http://lab:8501/train?epochs=300"
