"""A learner never loses work: the address carries the lab's key and settings; a reload, a new tab or a
link opens what it names, and says so when it cannot."""

from streamlit.testing.v1 import AppTest

from tests.test_pages import PAGES, go, lab, no_exception, open_app, owner, plain, press, trained


def reload(at, page=None):
    """What the browser does on F5 (or a new tab with the same address): a new session, same address."""
    again = AppTest.from_file("../app.py", default_timeout=60)
    again.query_params.update(at.query_params)
    again.run()
    if page:
        go(again, page).run()
    no_exception(again)
    return again


def test_a_reload_brings_back_runs_model_settings_and_exercises():
    at = open_app("architecture")
    at.number_input(key="arch_units_0").set_value(12).run()
    at.text_input(key="exercise_parameters").input("83").run()
    go(at, "prepare").run()
    at.toggle(key="prep_standardize").set_value(True).run()
    go(at, "train").run()
    press(at, "train_button")
    press(at, "train_button")
    before = lab(at)
    assert at.query_params["lab"] == before.key and at.query_params["std"] == "1"

    again = reload(at, "architecture")
    state = lab(again)
    assert state.key == before.key and state.model_spec.hidden[0].units == 12 and state.data_spec.standardize
    assert [r.network.fingerprint() for r in state.history] == [r.network.fingerprint() for r in before.history]
    assert state.run.name == "run 2" and state.solved == {"parameters": True}
    assert again.number_input(key="arch_units_0").value == 12
    assert again.text_input(key="exercise_parameters").value == "83"  # what was typed, not only that it was right
    assert again.metric[0].value == "99"


def test_the_predict_pages_penguin_survives_other_pages_and_reloads():
    at = trained(epochs=3)
    go(at, "predict").run()
    at.slider(key="predict_body_mass_g").set_value(5800.0).run()
    go(at, "start").run()
    go(at, "predict").run()
    assert at.slider(key="predict_body_mass_g").value == 5800.0
    assert reload(at, "predict").slider(key="predict_body_mass_g").value == 5800.0


def test_a_wrong_or_expired_key_opens_a_fresh_lab_and_says_so():
    at = trained(epochs=3)
    at.query_params["lab"] = "not-a-real-key-at-all"
    again = reload(at)
    assert lab(again).history == [] and lab(again).key != "not-a-real-key-at-all"
    assert any("lab was not found" in plain(w.value) for w in again.warning)


def test_a_link_with_settings_and_no_key_starts_a_fresh_lab_with_them():
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params.update({"std": "1", "hidden": "16-tanh", "epochs": "40"})
    at.run()
    state = lab(at)
    assert state.data_spec.standardize and state.model_spec.hidden[0].units == 16 and state.model_spec.epochs == 40
    assert state.history == [] and at.query_params["lab"] == state.key


def test_a_link_with_settings_it_cannot_use_names_them_and_opens_anyway():
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params.update({"epochs": "99999", "hidden": "lots", "seed": "4"})
    at.run()
    no_exception(at)
    warning = next(plain(w.value) for w in at.warning if "could not be used" in plain(w.value))
    assert "epochs='99999'" in warning and "hidden='lots'" in warning
    assert lab(at).model_spec.seed == 4 and lab(at).model_spec.epochs == 100


def test_the_link_to_share_a_setup_carries_settings_never_the_key():
    at = trained(epochs=3)
    shared = next(c.value for c in at.sidebar.code if "epochs=3" in c.value)
    assert lab(at).key not in shared and "lab=" not in shared


def test_every_page_keeps_the_settings_in_the_address():
    at = open_app("architecture")
    at.number_input(key="arch_epochs").set_value(40).run()
    for url in PAGES:
        go(at, url).run()
        assert at.query_params.get("epochs") == "40" and at.query_params.get("lab") == lab(at).key, url


def test_projector_mode_is_a_switch_kept_in_the_address_and_the_lab():
    at = open_app("train")
    at.toggle(key="projector_mode").set_value(True).run()
    assert lab(at).projector and at.query_params["projector"] == "1"
    assert any("font-size: 112.5%" in h.proto.body for h in at.get("html"))
    again = reload(at, "train")
    assert lab(again).projector and again.toggle(key="projector_mode").value


def test_a_visit_that_does_nothing_stores_no_lab_and_names_none_in_the_address():
    at = open_app()
    for page in ("neuron", "explore", "prepare", "architecture", "train", "playground"):
        go(at, page).run()
    assert "lab" not in at.query_params and owner(at).store.load(lab(at).key) is None
    at.toggle(key="projector_mode").set_value(True).run()  # something to keep
    assert at.query_params["lab"] == lab(at).key and owner(at).store.load(lab(at).key) is not None
