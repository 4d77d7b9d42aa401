"""Keras' optimizers, step for step, on NumPy arrays updated in place.

Each ``update`` is a transcription of the optimizer's ``update_step`` in
Keras 3 (same defaults, same epsilon, float32 throughout), so a run here
follows the same path as ``model.fit`` would from the same starting weights.
"""

from __future__ import annotations

import numpy as np

F = np.float32
EPSILON = F(1e-7)


class Optimizer:
    def __init__(self, learning_rate: float, params: list[np.ndarray]):
        self.learning_rate = F(learning_rate)
        self.iterations = 0
        self.slots = [self.new_slots(p) for p in params]

    def new_slots(self, param):
        return ()

    def apply(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        """One step for every parameter, then count it."""
        for param, grad, slots in zip(params, grads, self.slots):
            self.update(param, grad, *slots)
        self.iterations += 1


class SGD(Optimizer):
    def update(self, param, grad):
        param -= grad * self.learning_rate


class Adam(Optimizer):
    beta_1, beta_2 = F(0.9), F(0.999)

    def new_slots(self, param):
        return np.zeros_like(param), np.zeros_like(param)

    def update(self, param, grad, m, v):
        step = F(self.iterations + 1)
        alpha = self.learning_rate * np.sqrt(1 - self.beta_2**step) / (1 - self.beta_1**step)
        m += (grad - m) * (1 - self.beta_1)
        v += (grad * grad - v) * (1 - self.beta_2)
        param -= (m * alpha) / (np.sqrt(v) + EPSILON)


class RMSprop(Optimizer):
    rho = F(0.9)

    def new_slots(self, param):
        return (np.zeros_like(param),)

    def update(self, param, grad, velocity):
        velocity[...] = self.rho * velocity + (1 - self.rho) * (grad * grad)
        param -= (self.learning_rate * grad) / np.sqrt(velocity + EPSILON)


class Adagrad(Optimizer):
    initial_accumulator = F(0.1)

    def new_slots(self, param):
        return (np.full_like(param, self.initial_accumulator),)

    def update(self, param, grad, accumulator):
        accumulator += grad * grad
        param -= (self.learning_rate * grad) / np.sqrt(accumulator + EPSILON)


OPTIMIZER_CLASSES = {"adam": Adam, "sgd": SGD, "rmsprop": RMSprop, "adagrad": Adagrad}


def make_optimizer(name: str, learning_rate: float, params: list[np.ndarray]) -> Optimizer:
    return OPTIMIZER_CLASSES[name](learning_rate, params)
