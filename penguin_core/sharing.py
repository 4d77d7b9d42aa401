"""Share a model: one ``.keras`` file that Keras itself can open, carrying the whole run.

Keras writes the architecture and weights; beside them in the same zip archive
we add ``penguin_lab.json`` with the features, species, settings, history, test
metrics and training profile. Loading is defensive: the architecture is
checked against a short list of layer types *before* Keras reads it, then
Keras loads it in safe mode, so a file carrying code is refused, never run.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile

from penguin_core.data import FEATURES, SPECIES
from penguin_core.errors import PenguinError
from penguin_core.keras_model import from_keras, import_keras, to_keras
from penguin_core.run import Run

METADATA = "penguin_lab.json"
ALLOWED_LAYERS = {"Functional", "Sequential", "InputLayer", "Dense", "Normalization"}
ALLOWED_PARTS = {
    "DTypePolicy", "__keras_tensor__",  # bookkeeping Keras writes for every layer
    "GlorotUniform", "GlorotNormal", "HeUniform", "HeNormal", "LecunUniform", "LecunNormal", "Zeros", "Ones",
    "Constant", "RandomUniform", "RandomNormal", "TruncatedNormal", "VarianceScaling", "Orthogonal",
    "L1", "L2", "L1L2", "MaxNorm", "NonNeg", "UnitNorm", "MinMaxNorm",
}
"""Every ``class_name`` allowed anywhere in config.json: plain layers and their built-in settings."""


def save_model(run: Run, path: str) -> None:
    """Write ``run`` to ``path`` (which must end in .keras), ready for ``keras.saving.load_model`` too."""
    if not str(path).endswith(".keras"):
        raise PenguinError(f"A model file's name must end in .keras, got {os.path.basename(path)!r}.")
    to_keras(run.network).save(path)
    metadata = {"features": list(run.network.features), "species": list(run.network.species),
                "run": run.to_dict(weights=False)}
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(METADATA, json.dumps(metadata))


def load_model(path: str) -> Run:
    """Read a .keras file back as a Run (history empty when the file came from elsewhere).

    Raises PenguinError, with a learner's message, for anything that is not a
    safe penguin classifier: not a Keras file, code inside, unknown layers,
    or inputs that do not match the measurements.
    """
    config, metadata = _read_archive(path)
    _check_layers(config)
    keras = import_keras()
    try:
        model = keras.saving.load_model(path, compile=False, safe_mode=True)
    except Exception as error:  # Keras raises many types; all mean "not loadable"
        raise PenguinError(f"Keras could not load this file safely: {str(error).splitlines()[0][:300]}") from None
    features = tuple(metadata.get("features", FEATURES))
    species = tuple(metadata.get("species", SPECIES))
    n_inputs = model.input_shape[-1] if not isinstance(model.input_shape, list) else None
    if n_inputs != len(features):
        raise PenguinError(
            f"The model takes {n_inputs} inputs per penguin, but {len(features)} measurements are expected "
            f"({', '.join(features)})."
        )
    network = from_keras(model, features, species)
    try:
        return Run.from_dict(metadata.get("run", {}), network=network)
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        if isinstance(error, PenguinError):
            raise
        raise PenguinError(f"This file's {METADATA} is damaged: {error}.") from None


def model_bytes(run: Run) -> bytes:
    """The .keras file's content, for a download button."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "penguin_model.keras")
        save_model(run, path)
        with open(path, "rb") as handle:
            return handle.read()


def load_model_bytes(content: bytes) -> Run:
    """``load_model`` for an upload held in memory."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "uploaded.keras")
        with open(path, "wb") as handle:
            handle.write(content)
        return load_model(path)


def _read_archive(path: str) -> tuple[dict, dict]:
    if not zipfile.is_zipfile(path):
        raise PenguinError("This file is not a Keras model: a .keras file is a zip archive saved by model.save().")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "config.json" not in names or "model.weights.h5" not in names:
                raise PenguinError("This zip file is not a Keras model: it has no config.json and model.weights.h5.")
            config = json.loads(archive.read("config.json"))
            metadata = json.loads(archive.read(METADATA)) if METADATA in names else {}
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError, OSError):
        raise PenguinError("This file is damaged: its model description cannot be read.") from None
    if not isinstance(config, dict) or not isinstance(metadata, dict):
        raise PenguinError("This file is damaged: its model description is not what Keras writes.")
    return config, metadata


def _check_layers(config: dict) -> None:
    """Refuse any class outside the allowlists, found anywhere in the architecture (layers may nest)."""
    for class_name in _class_names(config):
        if class_name == "Lambda":
            raise PenguinError("Refused: this model contains a Lambda layer, which is Python code. "
                               "The app never runs code from a file; save the model without Lambda layers.")
        if class_name not in ALLOWED_LAYERS | ALLOWED_PARTS:
            raise PenguinError(f"Refused: this model contains {class_name!r}. The app takes models made of "
                               "Dense layers (with an optional Normalization first), as built in the lesson.")


def _class_names(node):
    if isinstance(node, dict):
        if "class_name" in node:
            yield str(node["class_name"])
        for value in node.values():
            yield from _class_names(value)
    elif isinstance(node, list):
        for value in node:
            yield from _class_names(value)
