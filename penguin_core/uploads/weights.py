"""Read the weights Keras wrote (``model.weights.h5``) for an architecture already checked, and nothing else.

Keras files the weights of the k-th Dense layer under ``layers/dense_k/vars``
("dense" for the first), named by class, not by the layer's own name (see
``keras.src.saving.saving_lib._get_unique_name``). Each dataset is read only
when its shape and type are exactly what the architecture implies, reached
through hard links only (an HDF5 link or external storage could point at
another file on the server), and must hold finite numbers.

In the app this runs in a sandbox process (``python -m penguin_core.uploads.weights``):
HDF5 is a large C library, and a hostile file meets it there, not in the server.
"""

from __future__ import annotations

import io
import json

import numpy as np

from penguin_core.errors import PenguinError
from penguin_core.uploads.architecture import Architecture

MAX_WEIGHTS_BYTES = 8 * 1024 * 1024


def read_weights(h5: bytes, architecture: Architecture) -> dict:
    """{"kernels", "biases", "scaling"} as nested lists of floats, ready for JSON and ``Network``."""
    import h5py

    try:
        store = h5py.File(io.BytesIO(h5), "r")
    except Exception:  # h5py raises OSError, ValueError and others for a damaged file
        raise PenguinError("This file's weights (model.weights.h5) cannot be read: the file is damaged.") from None
    with store:
        sizes = architecture.sizes
        kernels, biases = [], []
        for k, (layer, fan_in) in enumerate(zip(architecture.dense, sizes)):
            path = "layers/dense" + (f"_{k}" if k else "") + "/vars"
            kernels.append(_dataset(store, f"{path}/0", (fan_in, layer.units), k))
            biases.append(_dataset(store, f"{path}/1", (layer.units,), k) if layer.use_bias
                          else [0.0] * layer.units)
        scaling = architecture.normalization
        if scaling == "weights":
            n = architecture.n_inputs
            scaling = tuple(np.reshape(_dataset(store, f"layers/normalization/vars/{i}", ((n,), (1, n)), None), n)
                            .tolist() for i in (0, 1))
    return {"kernels": kernels, "biases": biases, "scaling": scaling}


def _dataset(store, path: str, shape, layer: int | None) -> list:
    import h5py

    where = f"Dense layer {layer + 1}" if layer is not None else "The Normalization layer"
    node = store
    for name in path.split("/"):
        link = node.get(name, getlink=True) if isinstance(node, h5py.Group) else None
        if not isinstance(link, h5py.HardLink):
            raise PenguinError(f"{where}'s weights are missing from model.weights.h5 (or point elsewhere): "
                               "the file does not match its own architecture.")
        node = node[name]
    shapes = shape if isinstance(shape[0], tuple) else (shape,)
    if not isinstance(node, h5py.Dataset) or node.shape not in shapes:
        found = getattr(node, "shape", "no array")
        raise PenguinError(f"{where}'s weights have shape {found}, but its architecture needs {shapes[0]}: "
                           "the file does not match its own architecture.")
    if node.dtype.kind != "f" or node.dtype.itemsize not in (4, 8) or node.external or node.is_virtual:
        raise PenguinError(f"{where}'s weights are not stored as plain floating-point numbers: refused.")
    values = np.asarray(node[()], dtype=np.float32)
    if not np.isfinite(values).all():
        raise PenguinError(f"{where} has weights that are not finite numbers (NaN or infinity): "
                           "such a model cannot predict anything.")
    return values.tolist()


def _sandboxed(payload: bytes) -> dict:
    """The sandbox's job: {"architecture": ..., "h5": ...} in one payload (JSON header line, then the bytes)."""
    from penguin_core.uploads.architecture import read_architecture

    header, _, h5 = payload.partition(b"\n")
    return read_weights(h5, read_architecture(json.loads(header)))


if __name__ == "__main__":
    from penguin_core.isolation.sandbox import serve_isolated

    serve_isolated(_sandboxed, MAX_WEIGHTS_BYTES + 512 * 1024)
