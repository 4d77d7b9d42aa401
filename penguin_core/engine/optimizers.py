"""Keras' optimizers, step for step, on one flat buffer of parameters updated in place.

Each update is a transcription of the optimizer's ``update_step`` in Keras 3
(same defaults, same epsilon, float32 throughout), so a run here follows the
same path as ``model.fit`` would from the same starting weights. The buffer
holds every parameter of every run trained together (see ``batch``), so a
step is a handful of array operations whatever the number of runs; each
element's learning rate is its own run's. Every operation is elementwise and
correctly rounded, so a run's numbers do not depend on who shares its buffer.
"""

from __future__ import annotations

import functools

import numpy as np

F = np.float32
EPSILON = F(1e-7)
BETA_1, BETA_2 = F(0.9), F(0.999)  # Adam
RHO = F(0.9)  # RMSprop

SLOT_STARTS = {"adam": (0.0, 0.0), "sgd": (), "rmsprop": (0.0,), "adagrad": (0.1,)}
"""Each optimizer's per-parameter state (Adam: m and v), and the value it starts at."""
OPTIMIZERS = tuple(SLOT_STARTS)
"""The optimizers the engine trains with."""
DEFAULT_LEARNING_RATES = {"adam": 0.001, "sgd": 0.01, "rmsprop": 0.001, "adagrad": 0.001}
"""Keras' own default learning rate for each optimizer."""


@functools.lru_cache(maxsize=100_000)
def adam_factors(step: int) -> tuple[np.float32, np.float32]:
    """Adam's bias corrections at ``step`` (from 1): sqrt(1 - beta_2^t) and 1 - beta_1^t, as Keras computes them."""
    t = F(step)
    return np.sqrt(1 - BETA_2**t), 1 - BETA_1**t


def slot_starts(name: str, momentum: float = 0.0) -> tuple[float, ...]:
    """The per-parameter state optimizer ``name`` keeps; SGD keeps a velocity only with momentum, as Keras."""
    return (0.0,) if name == "sgd" and momentum else SLOT_STARTS[name]


def update(name: str, params: np.ndarray, grads: np.ndarray, slots: list[np.ndarray],
           learning_rates: np.ndarray, iterations: int, momentums: np.ndarray | None = None) -> None:
    """One step of optimizer ``name``; ``iterations`` steps came before it (the same for every run here);
    ``momentums``: each element's SGD momentum, when its runs have one."""
    if name == "adam":
        m, v = slots
        s, d = adam_factors(iterations + 1)
        alpha = (learning_rates * s) / d
        m += (grads - m) * (1 - BETA_1)
        v += (grads * grads - v) * (1 - BETA_2)
        params -= (m * alpha) / (np.sqrt(v) + EPSILON)
    elif name == "sgd" and slots:
        (velocity,) = slots
        velocity[...] = velocity * momentums - grads * learning_rates
        params += velocity
    elif name == "sgd":
        params -= grads * learning_rates
    elif name == "rmsprop":
        (velocity,) = slots
        velocity[...] = RHO * velocity + (1 - RHO) * (grads * grads)
        params -= (learning_rates * grads) / np.sqrt(velocity + EPSILON)
    elif name == "adagrad":
        (accumulator,) = slots
        accumulator += grads * grads
        params -= (learning_rates * grads) / np.sqrt(accumulator + EPSILON)
    else:
        raise ValueError(f"Unknown optimizer {name!r}.")
