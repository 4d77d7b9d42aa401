import os
import zipfile

import numpy as np
import pytest

from penguin_core.errors import PenguinError
from penguin_core.keras_model import build_keras_model, import_keras
from penguin_core.model import HiddenLayer, ModelSpec
from penguin_core.prediction import predict_one
from penguin_core.sharing import load_model, load_model_bytes, model_bytes, save_model
from penguin_core.training import train
from tests.conftest import save_lambda_model

ADELIE = {"bill_length_mm": 39.1, "bill_depth_mm": 18.7, "flipper_length_mm": 181, "body_mass_g": 3750}


@pytest.fixture(scope="module")
def run(scaled_data):
    return train(scaled_data, ModelSpec(hidden=(HiddenLayer(12, "tanh"),), epochs=20))


def test_saved_file_carries_the_whole_run(run, tmp_path):
    path = str(tmp_path / "model.keras")
    save_model(run, path)
    loaded = load_model(path)
    assert loaded.network.features == run.network.features and loaded.network.species == run.network.species
    assert loaded.model_spec == run.model_spec and loaded.data_spec == run.data_spec
    assert loaded.history == run.history and loaded.test_metrics == run.test_metrics
    np.testing.assert_array_equal(loaded.network.scaling.mean, run.network.scaling.mean)
    assert predict_one(loaded.network, ADELIE).probabilities == pytest.approx(
        predict_one(run.network, ADELIE).probabilities, abs=1e-6)
    assert loaded.profile.warnings(np.array([39.1, 18.7, 181, 9000.0]))


def test_saved_file_takes_raw_measurements_in_plain_keras(run, tmp_path):
    path = str(tmp_path / "model.keras")
    save_model(run, path)
    model = import_keras().saving.load_model(path)
    x = np.array([[ADELIE[f] for f in run.network.features]], np.float32)
    np.testing.assert_allclose(model(x).numpy()[0], list(predict_one(run.network, ADELIE).probabilities.values()),
                               atol=1e-6)


def test_bytes_round_trip_for_download_and_upload(run):
    content = model_bytes(run)
    assert content[:2] == b"PK"
    assert load_model_bytes(content).history == run.history


def test_a_plain_keras_model_with_four_inputs_is_accepted(tmp_path):
    path = str(tmp_path / "plain.keras")
    build_keras_model(4, [(10, "relu")]).save(path)
    loaded = load_model(path)
    assert loaded.network.features[0] == "bill_length_mm" and loaded.history == []
    assert predict_one(loaded.network, ADELIE).species in loaded.network.species


def test_a_lambda_layer_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "lambda.keras"
    save_lambda_model(path, str(marker))
    marker.unlink()  # building the model ran the lambda once; loading must not
    with pytest.raises(PenguinError, match="Lambda layer, which is Python code"):
        load_model(str(path))
    assert not marker.exists()


def test_other_layers_are_refused(tmp_path):
    keras = import_keras()
    inputs = keras.Input(shape=(4,))
    model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(keras.layers.Dropout(0.5)(inputs)))
    path = str(tmp_path / "dropout.keras")
    model.save(path)
    with pytest.raises(PenguinError, match="contains 'Dropout'"):
        load_model(path)


def test_wrong_number_of_inputs_is_refused(tmp_path):
    path = str(tmp_path / "five.keras")
    build_keras_model(5, [(10, "relu")]).save(path)
    with pytest.raises(PenguinError, match="takes 5 inputs per penguin, but 4 measurements"):
        load_model(path)


def test_wrong_output_is_refused(tmp_path):
    path = str(tmp_path / "two.keras")
    build_keras_model(4, [(10, "relu")], n_outputs=2).save(path)
    with pytest.raises(PenguinError, match="output must be Dense\\(3, softmax\\)"):
        load_model(path)


@pytest.mark.parametrize("content, message", [
    (b"hello, I am not a model", "not a Keras model"),
    (None, "no config.json"),
])
def test_files_that_are_not_models_are_refused(tmp_path, content, message):
    path = tmp_path / "bad.keras"
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("notes.txt", "just a zip")
    else:
        path.write_bytes(content)
    with pytest.raises(PenguinError, match=message):
        load_model(str(path))


def test_a_damaged_weights_file_is_refused(run, tmp_path):
    good = model_bytes(run)
    source = tmp_path / "good.keras"
    source.write_bytes(good)
    damaged = tmp_path / "damaged.keras"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(damaged, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, b"garbage" if name == "model.weights.h5" else src.read(name))
    with pytest.raises(PenguinError, match="Keras could not load this file safely"):
        load_model(str(damaged))


def test_saving_needs_the_keras_extension(run, tmp_path):
    with pytest.raises(PenguinError, match="must end in .keras"):
        save_model(run, os.path.join(tmp_path, "model.h5"))


def test_damaged_metadata_is_refused_with_a_message(run, tmp_path):
    source = tmp_path / "good.keras"
    source.write_bytes(model_bytes(run))
    damaged = tmp_path / "meta.keras"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(damaged, "w") as dst:
        for name in src.namelist():
            content = src.read(name)
            if name == "penguin_lab.json":
                content = content.replace(b'"history": [', b'"history": 5, "x": [')
            dst.writestr(name, content)
    with pytest.raises(PenguinError, match="penguin_lab.json is damaged"):
        load_model(str(damaged))
