import os

import pytest

from penguin_core.preparation import DataSpec, prepare

TENSORFLOW_LOGGING = ("TF_CPP_MIN_LOG_LEVEL", "TF_CPP_MAX_VLOG_LEVEL", "TF_CPP_VMODULE", "TF_ENABLE_ONEDNN_OPTS")
for _name in TENSORFLOW_LOGGING:  # the suite runs as a new machine would: nothing silences TensorFlow for it
    os.environ.pop(_name, None)


@pytest.fixture(scope="session")
def lesson_data():
    """The lesson's split: unscaled, no validation set."""
    return prepare(DataSpec())


@pytest.fixture(scope="session")
def scaled_data():
    """Standardized, with a validation set, so every metric is there."""
    return prepare(DataSpec(standardize=True, validation_size=0.2))


def save_lambda_model(path, marker_name):
    """A .keras file whose Lambda layer would create ``marker_name`` if it ever ran."""
    from penguin_core.keras_model import import_keras

    keras = import_keras()
    inputs = keras.Input(shape=(4,))
    x = keras.layers.Lambda(lambda t: (open(marker_name, "w").close(), t)[1])(inputs)
    keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(x)).save(str(path))

import tempfile  # noqa: E402

# Every lab the suite makes goes to a database of its own, never the developer's.
os.environ["PENGUIN_DATABASE_URL"] = "sqlite:///" + os.path.join(tempfile.mkdtemp(prefix="penguin-tests-"), "lab.sqlite3")
