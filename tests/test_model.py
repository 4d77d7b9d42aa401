import pytest

from penguin_core.errors import PenguinError
from penguin_core.keras_model import build_keras_model
from penguin_core.model import HiddenLayer, ModelSpec, summary_text


def test_defaults_are_the_lessons_model():
    spec = ModelSpec()
    assert spec.hidden == (HiddenLayer(10, "relu"),)
    assert (spec.optimizer, spec.loss, spec.batch_size, spec.epochs) == ("adam", "categorical_crossentropy", 32, 100)
    assert spec.count_params(4) == 83


@pytest.mark.parametrize("units", [1, 10, 11, 64, 256])
def test_each_hidden_unit_adds_eight_parameters(units):
    spec = ModelSpec(hidden=(HiddenLayer(units),))
    assert spec.count_params(4) == 83 + 8 * (units - 10)


@pytest.mark.parametrize("hidden", [(), (HiddenLayer(5, "tanh"), HiddenLayer(7, "elu")), (HiddenLayer(3),) * 4])
def test_parameter_count_agrees_with_keras(hidden):
    spec = ModelSpec(hidden=hidden)
    model = build_keras_model(4, [(h.units, h.activation) for h in hidden])
    assert spec.count_params(4) == sum(w.numpy().size for w in model.trainable_weights)


def test_summary_is_keras_own_table():
    text = summary_text(ModelSpec(), 4)
    assert "Dense" in text and "(None, 10)" in text and "Trainable params: 83" in text
    wider = summary_text(ModelSpec(hidden=(HiddenLayer(12),)), 4)
    assert "Trainable params: 99" in wider
    assert "Normalization" in summary_text(ModelSpec(), 4, standardize=True)


def test_spec_round_trips_through_a_dict():
    spec = ModelSpec(hidden=(HiddenLayer(16, "tanh"), HiddenLayer(8, "selu")), optimizer="rmsprop",
                     learning_rate=0.01, batch_size=16, epochs=30, seed=5)
    plain = spec.to_dict()
    assert plain["hidden"] == [{"units": 16, "activation": "tanh"}, {"units": 8, "activation": "selu"}]
    assert ModelSpec.from_dict(plain) == spec


@pytest.mark.parametrize("values, message", [
    ({"hidden": (HiddenLayer(),) * 5}, "At most 4 hidden layers"),
    ({"optimizer": "adamw"}, "Optimizer must be one of adam, sgd, rmsprop, adagrad, got 'adamw'"),
    ({"learning_rate": 0}, "Learning rate"),
    ({"batch_size": 0}, "Batch size must be a whole number"),
    ({"epochs": 0}, "Epochs must be a whole number from 1"),
    ({"epochs": 2.5}, "Epochs must be a whole number"),
    ({"loss": "mse"}, "Loss must be one of categorical_crossentropy, got 'mse'"),
])
def test_impossible_specs_are_refused(values, message):
    with pytest.raises(PenguinError, match=message):
        ModelSpec(**values)


@pytest.mark.parametrize("units, activation, message", [(0, "relu", "1 to 256"), (257, "relu", "1 to 256"),
                                                        (10, "swish", "Unknown activation 'swish'")])
def test_impossible_layers_are_refused(units, activation, message):
    with pytest.raises(PenguinError, match=message):
        HiddenLayer(units, activation)
