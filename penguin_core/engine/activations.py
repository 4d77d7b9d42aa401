"""Activation functions as Keras defines them, with the derivatives backpropagation needs."""

from __future__ import annotations

import numpy as np

SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805

ACTIVATIONS = ("relu", "sigmoid", "tanh", "elu", "selu", "softplus", "linear")
"""What a hidden layer may use; the output layer is always softmax."""


def activate(name: str, z: np.ndarray) -> np.ndarray:
    """f(z) for the named activation, elementwise, keeping z's dtype."""
    if name == "relu":
        return np.maximum(z, 0)
    if name == "sigmoid":
        return expit(z)
    if name == "tanh":
        return np.tanh(z)
    if name == "elu":
        return np.where(z > 0, z, np.expm1(np.minimum(z, 0)))
    if name == "selu":
        return SELU_SCALE * np.where(z > 0, z, SELU_ALPHA * np.expm1(np.minimum(z, 0)))
    if name == "softplus":
        return np.logaddexp(np.zeros_like(z), z)
    if name == "linear":
        return z
    if name == "softmax":
        return softmax(z)
    raise ValueError(f"Unknown activation {name!r}: choose from {', '.join(ACTIVATIONS)}.")


def derivative(name: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """f'(z), given z and a = f(z) (whichever is cheaper to use)."""
    if name == "relu":
        return (z > 0).astype(z.dtype)
    if name == "sigmoid":
        return a * (1 - a)
    if name == "tanh":
        return 1 - a * a
    if name == "elu":
        return np.where(z > 0, 1, a + 1).astype(z.dtype)
    if name == "selu":
        return np.where(z > 0, SELU_SCALE, a + SELU_SCALE * SELU_ALPHA).astype(z.dtype)
    if name == "softplus":
        return expit(z)
    if name == "linear":
        return np.ones_like(z)
    raise ValueError(f"No derivative for activation {name!r}.")


def expit(z: np.ndarray) -> np.ndarray:
    """The logistic sigmoid 1 / (1 + exp(-z)), without overflow for large |z|."""
    return np.exp(-np.logaddexp(np.zeros_like(z), -z))


def softmax(z: np.ndarray) -> np.ndarray:
    """Probabilities per row; shifting by the row's maximum keeps exp() from overflowing."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
