"""Share a model: one ``.keras`` file that Keras itself can open, carrying the whole run.

Keras writes the architecture and weights; beside them in the same zip archive
we add ``penguin_lab.json`` with the features, species, settings and history.
Reading goes the other way without Keras: ``penguin_core.uploads`` takes the
file apart as data and checks every piece, so a file carrying code, a bomb or
a lie is refused, never run.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile

from penguin_core.errors import PenguinError
from penguin_core.keras_model import to_keras
from penguin_core.run import Run
from penguin_core.uploads import MAX_FILE_BYTES, read_model

METADATA = "penguin_lab.json"


def check_save_path(path: str) -> None:
    """PenguinError unless ``path`` ends in .keras and its folder is writable (checked before any work)."""
    if not str(path).endswith(".keras"):
        raise PenguinError(f"A model file's name must end in .keras, got {os.path.basename(path)!r}.")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise PenguinError(f"Cannot write {path}: the folder {folder} does not exist or is not writable.")


def save_model(run: Run, path: str) -> None:
    """Write ``run`` to ``path`` (which must end in .keras), ready for ``keras.saving.load_model`` too."""
    check_save_path(path)
    to_keras(run.network).save(path)
    metadata = {"features": list(run.network.features), "species": list(run.network.species),
                "run": run.to_dict(weights=False)}
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(METADATA, json.dumps(metadata))


def load_model(path: str) -> Run:
    """Read a .keras file back as a Run (history empty when the file came from Keras alone).

    Raises PenguinError, with a learner's message, for anything that is not a
    penguin classifier the lab can use.
    """
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise PenguinError(f"{os.path.basename(path)} is {size / 2**20:.1f} MB: a model file may be at most "
                               f"{MAX_FILE_BYTES // 2**20} MB.")
        with open(path, "rb") as handle:
            content = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise PenguinError(f"Cannot read {path}: {error.strerror or error}.") from None
    return read_model(content)


def model_bytes(run: Run) -> bytes:
    """The .keras file's content, for a download button."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "penguin_model.keras")
        save_model(run, path)
        with open(path, "rb") as handle:
            return handle.read()


def load_model_bytes(content: bytes) -> Run:
    """``load_model`` for a file held in memory."""
    return read_model(content)
