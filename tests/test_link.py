"""Settings in the address: written as changes from the lesson's, read back exactly, mistakes named."""

import pytest

from penguin_core.lab import Lab, LabState, setup_link, setup_params
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
    assert "lab" not in setup_params(state) and Lab(state).address()["lab"] == state.key
    assert setup_link("http://lab:8501/train", setup_params(state)) == "http://lab:8501/train?epochs=300"


# Tailored links: hide=, fix=, hide_pages= (see penguin_core/lab/link.py)

from penguin_core.lab import open_lab, tailored_params  # noqa: E402
from penguin_core.lab.link import HIDEABLE_PAGES, Tailoring, read_tailoring  # noqa: E402


def test_a_tailoring_reads_back_exactly_and_is_written_in_a_steady_order():
    setup = Setup(DataSpec(standardize=True), ModelSpec(epochs=40))
    tailoring = Tailoring({"epochs", "lr"}, {"std", "hidden"}, {"playground", "explore"}, setup)
    assert tailoring.params() == {"hide": "lr,epochs", "fix": "std,hidden", "hide_pages": "explore,playground"}
    assert read_tailoring({**to_params(setup), **tailoring.params()}, setup) == (tailoring, [])
    assert Tailoring().params() == {} and read_tailoring({}, Setup()) == (Tailoring(), [])


def test_a_tailoring_says_which_controls_it_hides_and_fixes_by_field():
    tailoring, ignored = read_tailoring({"hide": "epochs, learning_rate", "fix": "standardize,epochs"}, Setup())
    assert ignored == [] and tailoring.hide == {"epochs", "lr"} and tailoring.fix == {"std"}  # hiding wins
    assert tailoring.hides("learning_rate") and tailoring.hides("epochs") and not tailoring.hides("seed")
    assert tailoring.fixes("standardize") and not tailoring.fixes("epochs")


def test_a_tailoring_names_what_it_cannot_use_and_keeps_the_rest():
    tailoring, ignored = read_tailoring({"hide": "epochs,colour,<b>x</b>", "fix": "std,std,nope",
                                         "hide_pages": "start,explore,admin"}, Setup())
    assert tailoring == Tailoring({"epochs"}, {"std"}, {"explore"})
    assert ignored == ["hide: 'colour' is not a setting", "hide: '<b>x</b>' is not a setting",
                       "fix: 'nope' is not a setting", "hide_pages: the start page cannot be hidden",
                       "hide_pages: 'admin' is not a page"]
    assert "start" not in HIDEABLE_PAGES
    with pytest.raises(ValueError):
        Tailoring(hide_pages={"start"})


def test_a_huge_tailoring_costs_nothing():
    tailoring, ignored = read_tailoring({"hide": "x" * 10_000, "fix": ",".join(f"n{i}" for i in range(50)),
                                         "hide_pages": "a," * 99}, Setup())
    assert tailoring == Tailoring()
    assert ignored == ["hide: longer than 200 characters", *[f"fix: 'n{i}' is not a setting" for i in range(5)],
                       "fix: and 45 more", "hide_pages: 'a' is not a page"]


def test_playground_style_names_are_pointed_to_this_links_way():
    _, ignored = from_params({"epochs_hide": "true", "standardize_hide": "true", "colour_hide": "1"})
    assert ignored == ["'epochs_hide' is not a setting (to hide its control, write hide=epochs)",
                       "'standardize_hide' is not a setting (to hide its control, write hide=std)",
                       "'colour_hide' is not a setting"]


def test_held_settings_go_back_to_the_links_values_and_the_rest_stay():
    link = Setup(DataSpec(standardize=True), ModelSpec(epochs=40, learning_rate=0.01))
    tailoring = Tailoring({"epochs"}, {"std"}, values=link)
    changed = Setup(DataSpec(test_size=0.3), ModelSpec(epochs=7, learning_rate=0.05))
    assert tailoring.hold(changed) == Setup(DataSpec(test_size=0.3, standardize=True),
                                            ModelSpec(epochs=40, learning_rate=0.05))
    clash = Tailoring(fix={"shuffle"}, values=Setup(DataSpec(shuffle=False, stratify=False)))
    assert clash.hold(Setup()) == Setup(DataSpec(shuffle=False, stratify=False))  # stratify needs shuffle


def test_a_tailored_link_opens_a_lab_that_holds_its_settings_whatever_changes_them():
    session = {}
    lab = open_lab(session, {"std": "1", "fix": "std", "hide": "epochs", "hide_pages": "explore"}, None)
    state = lab.state
    assert state.data_spec.standardize and lab.tailoring.hide_pages == {"explore"}
    lab.reset("data")  # "Reset to the lesson"
    lab.change("test_size", 0.3)
    lab.change("standardize", False)
    lab.change("epochs", 5)
    lab.change("seed", 9)
    lab.apply_setup({"epochs": "7", "std": "0"})  # an instructor's setup
    assert open_lab(session, {}, None) is lab
    assert state.data_spec == DataSpec(test_size=0.2, standardize=True) and state.model_spec == ModelSpec()
    lab.change("test_size", 0.3)
    lab.change("seed", 9)
    assert state.data_spec == DataSpec(test_size=0.3, standardize=True) and state.model_spec == ModelSpec(seed=9)


def test_tailoring_alone_brings_the_links_settings_for_what_it_holds():
    lab = open_lab({}, {"fix": "standardize"}, None)
    assert not lab.state.data_spec.standardize and lab.tailoring.fix == {"std"}
    assert open_lab({}, {"hide_pages": "explore"}, None).state.notices == []


def test_an_untailored_session_holds_nothing():
    lab = open_lab({}, {"std": "1"}, None)
    assert lab.tailoring == Tailoring()
    lab.reset("data")
    assert lab.state.data_spec == DataSpec()


def test_the_learners_address_keeps_the_tailoring_and_a_shared_one_never_the_key():
    lab = open_lab({}, {"epochs": "40", "hide": "lr", "fix": "epochs", "hide_pages": "explore"}, None)
    state = lab.state
    own = lab.address()
    assert own == {"lab": state.key, "epochs": "40", "hide": "lr", "fix": "epochs", "hide_pages": "explore"}
    assert "hide" not in Lab(state).address()  # an untailored view
    shared = tailored_params(state, ["seed", "lr"], ["std"], ["playground"])
    assert shared == {"epochs": "40", "hide": "lr,seed", "fix": "std", "hide_pages": "playground"}
    assert setup_link("http://lab:8501/", shared) == ("http://lab:8501/?epochs=40&hide=lr,seed&fix=std&"
                                                      "hide_pages=playground")
