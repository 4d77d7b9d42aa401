"""The bridge to Keras: the same network as a ``keras.Model``, and back.

TensorFlow is imported here, inside the functions, so that modules which only
prepare data or train never wait for it.
"""

from __future__ import annotations

import os

import numpy as np

from penguin_core.errors import PenguinError
from penguin_core.network import Network
from penguin_core.preparation import Scaling


def quiet_tensorflow() -> None:
    """Silence TensorFlow's start-up chatter (set before it is imported)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def import_keras():
    """Keras 3 (on TensorFlow), imported on first use."""
    quiet_tensorflow()
    import keras

    return keras


def build_keras_model(n_inputs: int, hidden: list[tuple[int, str]], n_outputs: int = 3, scaling=None):
    """The lesson's functional model: Input -> [Normalization] -> Dense hidden layers -> Dense softmax."""
    keras = import_keras()
    inputs = keras.Input(shape=(n_inputs,), name="measurements")
    x = inputs
    if scaling is not None:
        mean, variance = scaling
        x = keras.layers.Normalization(mean=list(mean), variance=list(variance), name="standardize")(x)
    for i, (units, activation) in enumerate(hidden, start=1):
        x = keras.layers.Dense(units, activation=activation, name=f"hidden_{i}")(x)
    outputs = keras.layers.Dense(n_outputs, activation="softmax", name="species")(x)
    return keras.Model(inputs=inputs, outputs=outputs, name="penguin_classifier")


def to_keras(network: Network):
    """A Keras model holding ``network``'s weights; it predicts the same probabilities."""
    scaling = None if network.scaling is None else (network.scaling.mean, network.scaling.variance)
    hidden = [(k.shape[1], a) for k, a in zip(network.kernels[:-1], network.activations[:-1])]
    model = build_keras_model(network.n_inputs, hidden, len(network.species), scaling)
    model.set_weights([w for pair in zip(network.kernels, network.biases) for w in pair])
    return model


def from_keras(model, features, species) -> Network:
    """Read a Keras model made of Dense layers (optionally after a Normalization) into a Network.

    Anything else is refused: the app can explain and draw only this kind of network.
    """
    keras = import_keras()
    kernels, biases, activations, scaling = [], [], [], None
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if isinstance(layer, keras.layers.Normalization) and not kernels and scaling is None:
            if getattr(layer, "invert", False):
                raise PenguinError("This model undoes a normalization (invert=True): the app cannot use it.")
            scaling = Scaling(np.asarray(layer.mean, np.float32).reshape(-1),
                              np.asarray(layer.variance, np.float32).reshape(-1))
        elif isinstance(layer, keras.layers.Dense):
            kernel, bias = (np.asarray(w, np.float32) for w in layer.get_weights()) if layer.use_bias else (
                np.asarray(layer.get_weights()[0], np.float32), None)
            kernels.append(kernel)
            biases.append(bias if bias is not None else np.zeros(kernel.shape[1], np.float32))
            activations.append(keras.activations.serialize(layer.activation))
        else:
            raise PenguinError(
                f"The model has a {type(layer).__name__} layer: this app takes models made of Dense layers "
                "(with an optional Normalization first), as built in the lesson."
            )
    if not kernels:
        raise PenguinError("The model has no Dense layer: it cannot classify penguins.")
    if activations[-1] != "softmax" or kernels[-1].shape[1] != len(species):
        raise PenguinError(
            f"The model's output must be Dense({len(species)}, softmax), one probability per species; "
            f"it has Dense({kernels[-1].shape[1]}, {activations[-1]})."
        )
    return Network(tuple(features), tuple(species), tuple(kernels), tuple(biases), tuple(activations), scaling)
