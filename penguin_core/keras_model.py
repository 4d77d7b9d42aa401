"""The bridge to Keras: the same network as a ``keras.Model``, to summarize it or save it.

TensorFlow is imported here, inside the functions, so that modules which only
prepare data or train never wait for it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile

from penguin_core.engine.network import Network

TENSORFLOW_LOGGING = {"TF_CPP_MIN_LOG_LEVEL": "2"}
"""TensorFlow's C++ notices (the absl and oneDNN lines some CPUs get) stay out of stderr."""


def import_keras():
    """Keras 3 (on TensorFlow), imported on first use, without TensorFlow's start-up notices.

    The environment variable covers the notices TensorFlow knows how to
    silence; anything its C++ side still writes to stderr while importing is
    held back too, and shown only if the import fails.
    """
    if "keras" in sys.modules:
        return sys.modules["keras"]
    for name, value in TENSORFLOW_LOGGING.items():
        os.environ.setdefault(name, value)
    with _stderr_held_back():
        import keras
    return keras


@contextlib.contextmanager
def _stderr_held_back():
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield
        except BaseException:
            os.dup2(saved, 2)
            held.seek(0)
            os.write(2, held.read())
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


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
