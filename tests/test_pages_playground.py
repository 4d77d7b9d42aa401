"""The Playground page through AppTest: what the page hands its browser component (pages/ui/components/), the
settings shared with the lab, and what each measurement contributes below the views. Play, Pause, Step, Reset,
the replay slider and a click on a penguin happen inside the component, in the browser: AppTest cannot click
there, so tests/browser/test_playground.py checks them in Chromium."""

import json

from tests.test_pages import go, lab, no_exception, open_app, owner


def playground(at):
    return owner(at).playground


def component(at) -> dict:
    """The data the page gave the Playground's component in its last run."""
    found = [e for e in at.get("bidi_component") if e.proto.component_name == "penguin_lab_playground"]
    assert len(found) == 1, f"{len(found)} Playground components on the page"
    return json.loads(found[0].proto.json)


def test_the_page_hands_the_browser_its_network_penguins_and_the_initial_weights():
    at = open_app("playground")
    no_exception(at)
    data = component(at)
    assert data["layout"]["features"] == ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    assert data["layout"]["sizes"] == [4, 10, 3] and data["layout"]["activations"] == ["relu", "softmax"]
    assert data["layout"]["scaling"] is None  # the lesson's defaults: unscaled
    training = data["training"]
    assert (training["epochs"], training["trained"], training["running"], training["kept"]) == (100, 0, False, "")
    assert training["snapshots"]["from"] == 0 and training["snapshots"]["epochs"] == [0]  # epoch 0: the seed's start
    assert training["history"] == {"from": 0, "records": []}
    penguins = data["penguins"]
    assert len(penguins["rows"]) == 342 and penguins["part"].count("test") == 69
    assert set(data["plane"]["ranges"]) == set(data["layout"]["features"])
    assert data["auto"] is False and data["predict"] is None
    assert not [e for e in at.get("plotly_chart") if "play_regions" in e.proto.id]  # no server-drawn views left


def test_a_trained_run_reaches_the_component_and_the_contributions_follow_the_epoch_shown():
    at = open_app("playground")
    at.toggle(key="play_standardize").set_value(True).run()
    playground(at).train(wait=30)  # what the component's "train" asks for
    playground(at).shown = 30      # what its "shown" says when the view comes to rest
    at.run()
    no_exception(at)
    training = component(at)["training"]
    assert training["trained"] == 100 and training["snapshots"]["from"] == 1
    assert training["snapshots"]["epochs"] == list(range(1, 101)) and len(training["history"]["records"]) == 100
    assert any(c.value.startswith("For the network at epoch 30,") for c in at.caption)
    assert any("pushed" in m.value for m in at.markdown)  # the Shapley values' sentence
    at.button(key="play_importance").click().run()
    no_exception(at)
    assert playground(at).importance is not None and len(at.get("plotly_chart")) >= 2


def test_the_settings_are_the_labs_and_a_change_starts_the_network_afresh():
    at = open_app("playground")
    number = component(at)["training"]["number"]
    playground(at).train(wait=30)
    at.number_input(key="play_units_0").set_value(6).run()
    assert lab(at).model_spec.hidden[0].units == 6 and playground(at).epoch == 0
    data = component(at)
    assert data["training"]["number"] != number and data["layout"]["sizes"] == [4, 6, 3]
    go(at, "architecture").run()
    assert at.number_input(key="arch_units_0").value == 6
    at.number_input(key="arch_units_0").set_value(7).run()
    go(at, "playground").run()
    assert playground(at).training.spec.hidden[0].units == 7 and at.number_input(key="play_units_0").value == 7


def test_auto_train_tells_the_component_to_play_a_new_training_at_once():
    at = open_app("playground")
    at.toggle(key="play_auto").set_value(True).run()
    assert component(at)["auto"] is True


def test_the_predict_pages_penguin_can_be_followed():
    at = open_app("playground")
    assert at.button(key="play_predict_penguin").disabled  # no penguin typed on the Predict page yet
    owner(at).state.penguin = {"bill_length_mm": 39.1, "bill_depth_mm": 18.7, "flipper_length_mm": 181.0,
                               "body_mass_g": 3750.0}
    at.run()
    at.button(key="play_predict_penguin").click().run()
    no_exception(at)
    data = component(at)
    assert data["chosen"] == "predict" and data["predict"] == [39.1, 18.7, 181.0, 3750.0]
    assert any("the Predict page's penguin" in m.value for m in at.markdown)
