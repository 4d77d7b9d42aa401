import os

import numpy as np
import pytest

from penguin_core.errors import PenguinError
from penguin_core.keras_model import build_keras_model, import_keras
from penguin_core.model import HiddenLayer, ModelSpec
from penguin_core.prediction import predict_one
from penguin_core.sharing import load_model, load_model_bytes, model_bytes, save_model
from penguin_core.training import train

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


def test_saving_needs_the_keras_extension(run, tmp_path):
    with pytest.raises(PenguinError, match="must end in .keras"):
        save_model(run, os.path.join(tmp_path, "model.h5"))


def test_saving_checks_the_folder_before_any_work(run, tmp_path):
    with pytest.raises(PenguinError, match="does not exist or is not writable"):
        save_model(run, str(tmp_path / "missing" / "model.keras"))


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.keras"
    big.write_bytes(b"PK" + b"\0" * (6 * 2**20))
    with pytest.raises(PenguinError, match="at most 5 MB"):
        load_model(str(big))
