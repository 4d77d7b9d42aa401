"""The Playground's server side: it trains when the browser asks, hands over only what the browser has not
had, keeps a run played out once, and says why settings it cannot train cannot train."""

import base64

import numpy as np
import pytest

from penguin_core.errors import PenguinError
from penguin_core.lab import Lab
from penguin_core.views import browser


def lab_with(**settings) -> Lab:
    lab = Lab()
    for field, value in settings.items():
        lab.change(field, value)
    lab.playground.sync()
    return lab


def test_the_browser_gets_epoch_0_then_the_rest_once_it_asks_and_only_what_it_lacks():
    lab = lab_with(standardize=True, epochs=30)
    playground = lab.playground
    first = playground.browser_data()
    assert first["trained"] == 0 and first["snapshots"]["epochs"] == [0] and first["history"]["records"] == []
    playground.train(wait=10)
    assert playground.done and not playground.running
    second = playground.browser_data()
    assert second["number"] == first["number"] and second["snapshots"]["from"] == 1
    assert second["snapshots"]["epochs"] == list(range(1, 31)) and second["history"]["from"] == 0
    assert [r["epoch"] for r in second["history"]["records"]] == list(range(1, 31))
    assert playground.browser_data()["snapshots"]["epochs"] == []  # nothing new
    again = playground.browser_data(resend=True)
    assert again["snapshots"]["from"] == 0 and len(again["snapshots"]["weights"]) == 31
    weights = np.frombuffer(base64.b64decode(again["snapshots"]["weights"][-1]), "<f4")
    network = playground.training.network
    np.testing.assert_array_equal(weights, np.concatenate([a.ravel() for k, b in zip(network.kernels, network.biases)
                                                           for a in (k, b)]))


def test_a_run_played_out_joins_the_history_once_and_a_new_setting_starts_afresh():
    lab = lab_with(epochs=10)
    playground = lab.playground
    playground.played_out()  # not trained yet: nothing to keep
    assert lab.state.history == []
    number = playground.number
    playground.train(wait=10)
    playground.played_out()
    playground.played_out()
    assert [r.name for r in lab.state.history] == ["run 1 (playground)"] and lab.state.run is lab.state.history[0]
    assert playground.browser_data()["kept"] == "run 1 (playground)"
    lab.change("seed", 5)
    assert playground.sync() and playground.number != number and playground.epoch == 0 and not playground.kept


def test_settings_the_lab_accepted_but_that_cannot_train_here_say_why():
    lab = lab_with(batch_size=200)
    lab.change("test_size", 0.5)  # 171 training penguins: a batch of 200 does not fit
    assert lab.playground.sync() and lab.playground.training is None
    assert "Batch size 200 is larger than the 171 training penguins" in lab.playground.problem
    big = lab_with(hidden=(), epochs=5000, batch_size=1)
    big.change("hidden", browser_layers(4, 256))
    big.playground.sync()
    with pytest.raises(PenguinError, match="too big for a shared server"):
        big.playground.train()


def browser_layers(count, units):
    from penguin_core.settings import HiddenLayer

    return tuple(HiddenLayer(units) for _ in range(count))


def test_the_layout_and_penguins_describe_the_network_and_the_split(scaled_data):
    from penguin_core.training import Training

    network = Training(scaled_data, lab_with().state.model_spec).network
    layout = browser.layout(network)
    assert layout["sizes"] == [4, 10, 3] and layout["activations"] == ["relu", "softmax"]
    mean = np.frombuffer(base64.b64decode(layout["scaling"]["mean"]), "<f4")
    np.testing.assert_array_equal(mean, scaled_data.scaling.mean)
    penguins = browser.penguins(scaled_data)
    assert penguins["part"].count("train") == 218 and penguins["part"].count("test") == 69
    assert set(penguins["species"]) == {0, 1, 2} and len(penguins["inputs"][0]) == 4
