"""A trained network as a plain value: weights in NumPy arrays, plus what its inputs and outputs mean.

The same numbers a Keras ``Dense`` stack holds, so the two convert both ways
(see ``keras_model``); keeping them in NumPy makes a forward pass take
microseconds and lets a run be stored, compared or sent anywhere.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass

import numpy as np

from penguin_core.engine.activations import ACTIVATIONS, activate, softmax
from penguin_core.errors import PenguinError


@dataclass(frozen=True, eq=False)
class Scaling:
    """Per-feature mean and variance of the training part, as a Keras Normalization layer keeps them."""

    mean: np.ndarray
    variance: np.ndarray

    @classmethod
    def fit(cls, X: np.ndarray) -> "Scaling":
        return cls(X.mean(axis=0).astype(np.float32), X.var(axis=0).astype(np.float32))

    def apply(self, X: np.ndarray) -> np.ndarray:
        """``(x - mean) / max(sqrt(variance), 1e-7)``, exactly Keras' formula."""
        return (X - self.mean) / np.maximum(np.sqrt(self.variance), np.float32(1e-7))


@dataclass(frozen=True, eq=False)
class Network:
    """Dense layers input side first; the last one's activation is softmax over ``species``."""

    features: tuple[str, ...]
    species: tuple[str, ...]
    kernels: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    activations: tuple[str, ...]
    scaling: Scaling | None = None

    @property
    def n_inputs(self) -> int:
        return self.kernels[0].shape[0]

    def logits(self, X: np.ndarray) -> np.ndarray:
        """The last layer's values before softmax, for raw (unscaled) measurements ``X``."""
        a = np.asarray(X, dtype=np.float32)
        if self.scaling is not None:
            a = self.scaling.apply(a)
        last = len(self.kernels) - 1
        for i, (kernel, bias, name) in enumerate(zip(self.kernels, self.biases, self.activations)):
            z = a @ kernel + bias
            a = z if i == last else activate(name, z)
        return a

    def layer_values(self, X: np.ndarray, dtype=np.float32) -> list[np.ndarray]:
        """Every layer's values for raw rows ``X``: the inputs as the first layer sees them (standardized when
        the model standardizes), each hidden layer's activations, each species' probability. In float32 as
        the engine trains; ``dtype=np.float64`` computes the same from the same float32 weights in float64,
        which is what the browser's views compute (``pages/ui/components/forward.js``)."""
        a = np.asarray(X, dtype=dtype)
        if self.scaling is not None:
            mean, variance = (v.astype(dtype) for v in (self.scaling.mean, self.scaling.variance))
            a = (a - mean) / np.maximum(np.sqrt(variance), dtype(1e-7))
        values = [a]
        last = len(self.kernels) - 1
        for i, (kernel, bias, name) in enumerate(zip(self.kernels, self.biases, self.activations)):
            z = a @ kernel.astype(dtype) + bias.astype(dtype)
            a = softmax(z) if i == last else activate(name, z)
            values.append(a)
        return values

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probability of each species (columns in ``species`` order) for each row of ``X``."""
        return softmax(self.logits(X))

    def fingerprint(self) -> str:
        """8 hex digits of a hash over every weight: same settings and seed, same fingerprint."""
        digest = hashlib.sha256()
        for array in (*self.kernels, *self.biases):
            digest.update(np.ascontiguousarray(array, dtype=np.float32).tobytes())
        return digest.hexdigest()[:8]

    def with_weights(self, kernels, biases) -> "Network":
        """The same network with other weights (a snapshot's)."""
        return Network(self.features, self.species, tuple(kernels), tuple(biases), self.activations, self.scaling)

    def copy(self) -> "Network":
        """A snapshot that later training steps cannot change."""
        return Network(self.features, self.species, tuple(k.copy() for k in self.kernels),
                       tuple(b.copy() for b in self.biases), self.activations, self.scaling)

    def to_bytes(self) -> bytes:
        """The weights as a NumPy archive (about a third of the JSON's size), for the lab's store."""
        arrays = {f"kernel_{i}": k for i, k in enumerate(self.kernels)}
        arrays |= {f"bias_{i}": b for i, b in enumerate(self.biases)}
        if self.scaling is not None:
            arrays |= {"mean": self.scaling.mean, "variance": self.scaling.variance}
        meta = {"features": list(self.features), "species": list(self.species), "activations": list(self.activations)}
        buffer = io.BytesIO()
        np.savez(buffer, meta=np.frombuffer(json.dumps(meta).encode(), np.uint8), **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, content: bytes) -> "Network":
        """The inverse of ``to_bytes`` (never unpickles anything), checked as ``from_dict`` checks."""
        with np.load(io.BytesIO(content), allow_pickle=False) as archive:
            meta = json.loads(archive["meta"].tobytes())
            n = len(meta["activations"])
            scaling = (archive["mean"], archive["variance"]) if "mean" in archive else None
            return cls.from_dict({**meta, "kernels": [archive[f"kernel_{i}"] for i in range(n)],
                                  "biases": [archive[f"bias_{i}"] for i in range(n)], "scaling": scaling})

    def to_dict(self) -> dict:
        """Plain lists, ready for JSON."""
        return {
            "features": list(self.features),
            "species": list(self.species),
            "kernels": [k.tolist() for k in self.kernels],
            "biases": [b.tolist() for b in self.biases],
            "activations": list(self.activations),
            "scaling": None if self.scaling is None else
            {"mean": self.scaling.mean.tolist(), "variance": self.scaling.variance.tolist()},
        }

    @classmethod
    def from_dict(cls, values: dict) -> "Network":
        """The inverse of ``to_dict``, checked: layer shapes chain, every weight is a finite float32."""
        try:
            kernels = tuple(np.asarray(k, np.float32) for k in values["kernels"])
            biases = tuple(np.asarray(b, np.float32) for b in values["biases"])
            scaling = values.get("scaling")
            if isinstance(scaling, dict):
                scaling = (scaling["mean"], scaling["variance"])
            scaling = None if scaling is None else Scaling(*(np.asarray(v, np.float32) for v in scaling))
            network = cls(tuple(values["features"]), tuple(values["species"]), kernels, biases,
                          tuple(values["activations"]), scaling)
        except (KeyError, TypeError, ValueError):
            raise PenguinError("The network's weights are not arrays of numbers.") from None
        network.check()
        return network

    def check(self) -> None:
        """PenguinError unless the layers chain from the features to the species with finite weights."""
        sizes = [len(self.features)] + [k.shape[1] if k.ndim == 2 else -1 for k in self.kernels]
        shapes_ok = len(self.kernels) == len(self.biases) == len(self.activations) >= 1 and all(
            k.ndim == 2 and k.shape[0] == n and b.shape == (k.shape[1],)
            for k, b, n in zip(self.kernels, self.biases, sizes)) and sizes[-1] == len(self.species)
        if self.scaling is not None:
            shapes_ok = shapes_ok and self.scaling.mean.shape == self.scaling.variance.shape == (len(self.features),)
        if not shapes_ok:
            raise PenguinError("The network's layers do not fit together (weight shapes do not chain).")
        arrays = [*self.kernels, *self.biases] + ([] if self.scaling is None else [self.scaling.mean, self.scaling.variance])
        if not all(np.isfinite(a).all() for a in arrays) or (self.scaling is not None and (self.scaling.variance < 0).any()):
            raise PenguinError("The network has weights that are not finite numbers (NaN or infinity).")
        if self.activations[-1] != "softmax" or not all(a in ACTIVATIONS for a in self.activations[:-1]):
            raise PenguinError(f"The network's activations must be among {', '.join(ACTIVATIONS)}, with softmax last.")


def init_network(sizes: list[int], activations: list[str], features, species, scaling, rng) -> Network:
    """Keras' default initial weights: Glorot-uniform kernels, zero biases, drawn from ``rng``."""
    kernels, biases = [], []
    for fan_in, fan_out in zip(sizes, sizes[1:]):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        kernels.append(rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32))
        biases.append(np.zeros(fan_out, np.float32))
    return Network(tuple(features), tuple(species), tuple(kernels), tuple(biases),
                   (*activations, "softmax"), scaling)
