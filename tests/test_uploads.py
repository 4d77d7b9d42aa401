"""Hostile and careless model files: each is refused with one clear message, cheaply, and nothing is run.

Files are built the way an attacker or a confused learner would: by hand as
zip archives, or with Keras itself. The good file is this app's own download.
"""

import io
import json
import os
import struct
import tempfile
import zipfile

import numpy as np
import pytest

from penguin_core.training import train
from penguin_core.errors import PenguinError
from penguin_core.model import ModelSpec
from penguin_core.sharing import model_bytes
from penguin_core.uploads import read_model
from penguin_core.uploads.archive import MEMBER_LIMITS


@pytest.fixture(scope="module")
def good(scaled_data):
    """This app's download of a short run: the starting point of every tampered file."""
    run = train(scaled_data, ModelSpec(epochs=5))
    return run, model_bytes(run)


def members(content: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def archive(parts: dict, compression=zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return buffer.getvalue()


def tampered(content: bytes, name: str, change) -> bytes:
    """The file with one member's JSON changed by ``change(value)`` (which may also return bytes)."""
    parts = members(content)
    value = change(json.loads(parts[name]))
    parts[name] = value if isinstance(value, bytes) else json.dumps(value).encode()
    return archive(parts)


def refused(content: bytes, match: str, isolated=False):
    with pytest.raises(PenguinError, match=match):
        read_model(content, isolated=isolated)


def keras_file(build) -> bytes:
    """A .keras file of the model ``build(keras)`` returns, saved by Keras itself."""
    from penguin_core.keras_model import import_keras

    path = os.path.join(tempfile.mkdtemp(), "model.keras")
    build(import_keras()).save(path)
    with open(path, "rb") as handle:
        return handle.read()


def test_the_apps_own_file_reads_back_exactly_in_and_out_of_the_sandbox(good):
    run, content = good
    for isolated in (False, True):
        loaded = read_model(content, isolated=isolated)
        assert loaded.network.fingerprint() == run.network.fingerprint()
        assert loaded.history == run.history and loaded.test_metrics == run.test_metrics


# --- the archive: sizes, names and compression, from the zip's directory -------------------------

def test_a_bzip2_bomb_in_the_config_is_refused_before_it_is_unpacked(good):
    parts = members(good[1])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name, data in parts.items():
            if name == "config.json":
                out.writestr(name, data + b" " * 50_000_000, compress_type=zipfile.ZIP_BZIP2)
            else:
                out.writestr(name, data)
    assert len(buffer.getvalue()) < 100_000
    refused(buffer.getvalue(), "compressed in a way Keras never uses")


def test_a_member_that_lies_about_its_size_costs_at_most_its_limit(good):
    """A deflated member whose headers claim 100 bytes but which unpacks to 50 MB."""
    parts = members(good[1])
    bomb = archive({**parts, "penguin_lab.json": b" " * 50_000_000}, zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(io.BytesIO(bomb)) as out:
        info = out.getinfo("penguin_lab.json")
    lie = bytearray(bomb)
    for offset in _offsets(lie, info):  # patch the uncompressed size in both headers
        struct.pack_into("<I", lie, offset, 100)
    refused(bytes(lie), "more than 2048 KB once unpacked|damaged")


def _offsets(data: bytearray, info: zipfile.ZipInfo) -> list[int]:
    """Where the uncompressed size of ``info`` is written: its local header (+22) and its central entry (+24)."""
    found, start = [info.header_offset + 22], 0
    while (start := data.find(b"PK\x01\x02", start)) >= 0:
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46:start + 46 + name_length] == info.filename.encode():
            found.append(start + 24)
        start += 4
    return found


def test_many_members_or_huge_declared_sizes_are_refused_from_the_directory(good):
    parts = members(good[1])
    many = archive({**parts, **{f"junk/{i}": b"" for i in range(15_000)}})
    refused(many, "holds 15004 files")
    zeros = archive({**parts, "model.weights.h5": b"\0" * (MEMBER_LIMITS["model.weights.h5"] + 1)},
                    zipfile.ZIP_DEFLATED)
    assert len(zeros) < 200_000
    refused(zeros, "model.weights.h5 says it holds")


def test_members_a_model_never_has_are_refused(good):
    parts = members(good[1])
    del parts["metadata.json"]
    refused(archive({**parts, "../../etc/cron.d/evil": b"x"}), "not part of a model file")
    refused(archive({"notes.txt": b"just a zip"}), "not part of a model file")
    refused(archive({"config.json": b"{}"}), "no model.weights.h5")
    refused(b"hello, I am not a model", "not a Keras model")
    refused(b"PK\x03\x04 but broken", "damaged")
    refused(b"PK" + b"\0" * (6 * 2**20), "at most 5 MB")


# --- the architecture: a chain of Dense layers within the lab's limits, before any weights ---------

def test_a_huge_dense_layer_is_refused_from_the_config_alone(good):
    def huge(config):
        config["config"]["layers"][-2]["config"]["units"] = 200_000_000
        return config
    refused(tampered(good[1], "config.json", huge), "has 200000000 units")


@pytest.mark.parametrize("field, value, match", [("module", "os", "comes from 'os', not from Keras"),
                                                 ("registered_name", "Lambda", "registered as 'Lambda'")])
def test_a_dense_layer_that_keras_would_load_as_something_else_is_refused(good, field, value, match):
    """Issue 22: a "Dense" whose module is os, or registered as Lambda, was read as a plain Dense."""
    def disguised(config):
        config["config"]["layers"][-1][field] = value
        return config
    refused(tampered(good[1], "config.json", disguised), match)


def test_hundreds_of_stacked_layers_are_refused_from_the_config_alone(good):
    def stacked(config):
        layers = config["config"]["layers"]
        config["config"]["layers"] = layers[:1] + [{"class_name": "Dense", "config": {"units": 4}}] * 400 + layers[1:]
        return config
    refused(tampered(good[1], "config.json", stacked), "has 404 layers")


def test_two_outputs_where_one_feeds_the_next_are_refused():
    def build(keras):
        inputs = keras.Input(shape=(4,))
        hidden = keras.layers.Dense(10, activation="relu")(inputs)
        return keras.Model(inputs, [hidden, keras.layers.Dense(3, activation="softmax")(hidden)])
    refused(keras_file(build), "output is not its last layer alone")


def test_a_layer_used_twice_is_refused():
    def build(keras):
        inputs = keras.Input(shape=(4,))
        shared = keras.layers.Dense(4, activation="relu")
        return keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(shared(shared(inputs))))
    refused(keras_file(build), "used 2 times")


def test_a_branch_is_refused():
    def build(keras):
        inputs = keras.Input(shape=(4,))
        left, right = keras.layers.Dense(5)(inputs), keras.layers.Dense(5)(inputs)
        return keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(keras.layers.Add()([left, right])))
    refused(keras_file(build), "Add")


def test_an_activation_the_lab_cannot_compute_is_refused():
    def build(keras):
        inputs = keras.Input(shape=(4,))
        return keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(
            keras.layers.Dense(8, activation="gelu")(inputs)))
    refused(keras_file(build), "uses the activation 'gelu'")


def test_two_output_units_are_refused():
    def build(keras):
        inputs = keras.Input(shape=(4,))
        return keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(inputs))
    refused(keras_file(build), r"output must be Dense\(3, softmax\)")


def test_a_lambda_layer_is_refused_and_never_run(tmp_path):
    from tests.conftest import save_lambda_model

    marker = tmp_path / "ran"
    save_lambda_model(tmp_path / "lambda.keras", str(marker))
    marker.unlink()  # building the model ran the lambda once; reading the file must not
    refused((tmp_path / "lambda.keras").read_bytes(), "Lambda")
    assert not marker.exists()


def test_a_plain_keras_sequential_model_with_an_adapted_normalization_is_read_exactly():
    """A learner's own notebook model: no penguin_lab.json, weights named by Keras, scaling in the weights."""
    from tests.test_sharing import ADELIE

    x = np.array([[ADELIE[f] for f in ADELIE]], np.float32)
    saved = {}

    def build(keras):
        normalization = keras.layers.Normalization()
        normalization.adapt(np.array([[39.0, 18.0, 190.0, 4000.0], [45.0, 15.0, 215.0, 5000.0]], np.float32))
        model = keras.Sequential([keras.Input(shape=(4,)), normalization, keras.layers.Dense(6, activation="tanh"),
                                  keras.layers.Dense(5, activation="relu"), keras.layers.Dense(3, activation="softmax")])
        saved["probabilities"] = np.asarray(model(x))[0]
        return model
    loaded = read_model(keras_file(build), isolated=True)
    np.testing.assert_allclose(loaded.network.predict_proba(x)[0], saved["probabilities"], atol=1e-6)
    assert loaded.model_spec.hidden[1].units == 5 and loaded.data_spec.standardize


# --- the weights: shapes, types and values -------------------------------------------------------

@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_weights_that_are_not_finite_are_refused(good, value):
    import h5py

    parts = members(good[1])
    buffer = io.BytesIO(parts["model.weights.h5"])
    with h5py.File(buffer, "r+") as store:
        store["layers/dense/vars/0"][0, 0] = value
    refused(archive({**parts, "model.weights.h5": buffer.getvalue()}), "not finite", isolated=True)


def test_weights_that_do_not_match_the_architecture_are_refused(good):
    def wider(config):
        config["config"]["layers"][-2]["config"]["units"] = 11
        return config
    parts = members(tampered(good[1], "config.json", wider))
    del parts["penguin_lab.json"]  # else its settings already disagree with the architecture
    refused(archive(parts), "weights have shape", isolated=True)


def test_a_weights_file_that_is_not_hdf5_is_refused_in_the_sandbox(good):
    refused(archive({**members(good[1]), "model.weights.h5": b"garbage"}), "cannot be read", isolated=True)


def test_a_link_to_another_file_on_the_server_is_never_followed(good, tmp_path):
    import h5py

    secret = tmp_path / "secret.h5"
    with h5py.File(secret, "w") as store:
        store["kernel"] = np.full((4, 10), 7.0, np.float32)
    parts = members(good[1])
    buffer = io.BytesIO(parts["model.weights.h5"])
    with h5py.File(buffer, "r+") as store:
        del store["layers/dense/vars/0"]
        store["layers/dense/vars/0"] = h5py.ExternalLink(str(secret), "kernel")
    refused(archive({**parts, "model.weights.h5": buffer.getvalue()}), "point elsewhere")


# --- penguin_lab.json: every field checked against the network ------------------------------------

def test_metrics_in_the_file_are_never_believed(good):
    run, content = good
    loaded = read_model(tampered(content, "penguin_lab.json",
                                 lambda m: {**m, "run": {**m["run"], "test_metrics": {"accuracy": "100%"}}}))
    assert loaded.test_metrics == run.test_metrics and isinstance(loaded.test_metrics["accuracy"], float)
    bad_profile = tampered(content, "penguin_lab.json",
                           lambda m: {**m, "run": {**m["run"], "profile": {"minimum": [1], "species": ["x"]}}})
    assert read_model(bad_profile).profile.mean.shape == (3, 4)


@pytest.mark.parametrize("field, value, match", [
    ("features", ["bill_length_mm"] * 4, "names its inputs"),
    ("features", ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "beak_colour"], "names its inputs"),
    ("species", [f"species {i}" for i in range(1000)], "answers with 1000 species"),
    ("species", ["Adelie", "Gentoo", "Chinstrap"], "in that order"),
    ("extra", 1, "not what the lab writes"),
])
def test_features_and_species_must_be_the_labs(good, field, value, match):
    refused(tampered(good[1], "penguin_lab.json", lambda m: {**m, field: value}), match)


@pytest.mark.parametrize("field, value, match", [
    ("name", "x" * 100_000, "100,000 characters long"),
    ("name", 42, "not text"),
    ("history", [{"epoch": 1, "loss": "low", "accuracy": 0.5}], "Epoch 1 of this file's training history"),
    ("history", 5, "not a list"),
    ("model_spec", {"hidden": [{"units": 99, "activation": "relu"}]}, "different network"),
    ("model_spec", {"epochs": "many"}, "wrong type"),
    ("data_spec", {"standardize": False}, "Normalization layer"),
    ("data_spec", {"test_size": "a fifth"}, "wrong type"),
])
def test_the_run_in_the_file_must_describe_this_network(good, field, value, match):
    refused(tampered(good[1], "penguin_lab.json", lambda m: {**m, "run": {**m["run"], field: value}}), match)


def test_a_name_is_kept_as_plain_text_however_it_looks(good):
    sneaky = "![x](http://e.vl/a.png)\n<b>hi</b>\x1b"
    loaded = read_model(tampered(good[1], "penguin_lab.json", lambda m: {**m, "run": {**m["run"], "name": sneaky}}))
    assert loaded.name == "![x](http://e.vl/a.png) <b>hi</b>"  # one line, control characters gone


def test_deeply_nested_json_is_refused_not_crashed(good):
    refused(tampered(good[1], "penguin_lab.json", lambda m: b"[" * 100_000 + b"]" * 100_000), "not valid JSON")


def test_no_temporary_folder_is_left_behind(good):
    before = set(os.listdir(tempfile.gettempdir()))
    read_model(good[1], isolated=True)
    with pytest.raises(PenguinError):
        read_model(archive({**members(good[1]), "model.weights.h5": b"garbage"}), isolated=True)
    assert {n for n in set(os.listdir(tempfile.gettempdir())) - before if n.startswith("penguin")} == set()
