"""Many runs trained as one stacked computation; a single training is the one-run case.

NumPy spends about 95% of a lesson-sized step on call overhead (about 130
calls a step), so 30 runs one after another cost 30 times the calls. Here
runs that take their gradient steps together (same optimizer, batch size,
training-set size and steps so far) share one ``Batch``: all their
parameters, gradients and optimizer state live in one flat buffer each, so
the optimizer's update is a handful of array operations for all of them.
Within the batch, runs of the same shape (layer sizes and activations) form
a group whose every array has a leading run axis; a forward and backward
pass is a few calls per group. Runs of different widths are never padded
into one array: BLAS picks its kernels by size, so each width's products
are computed on its own unpadded arrays, exactly as a run alone computes
them. A run's weights and history are therefore bit-identical alone, in a
sweep, or in a batch of 30 learners (``tests/test_batch.py``).

A ``Training`` keeps its arrays as views into its batch's buffers, so
``network_now``, snapshots and Stop work while it trains; a new batch copies
what its runs hold, so a run may train alone, then with others, then alone.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable

import numpy as np

from penguin_core.engine import optimizers
from penguin_core.engine.activations import activate, derivative, softmax

F = np.float32


def batch_key(training) -> tuple:
    """Runs with the same key take their gradient steps together (SGD with momentum apart from plain SGD:
    the two update rules differ)."""
    spec = training.spec
    return (spec.optimizer, spec.batch_size, len(training.X), training.shuffle, training.iterations,
            training.validation is not None, optimizers.slot_starts(spec.optimizer, spec.momentum))


def shape_key(training) -> tuple:
    """Runs with the same key share stacked arrays (layer sizes and activations)."""
    return tuple(k.shape for k in training.network.kernels), training.network.activations


class _Group:
    """Runs of one shape: their weights as stacked views (run, ...) into the batch's buffers."""

    def __init__(self, runs: list, offset: int):
        self.runs = runs
        self.activations = runs[0].network.activations
        self.blocks = []  # (start, size, shape) of each kernel and bias block, in parameter order
        for kernel in runs[0].network.kernels:
            for shape in ((len(runs), *kernel.shape), (len(runs), kernel.shape[1])):
                size = int(np.prod(shape))
                self.blocks.append((offset, size, shape))
                offset += size
        self.end = offset
        self.rows = np.arange(len(runs))[:, None]  # picks each run's own mini-batch rows
        self.X = np.stack([t.X for t in runs])
        self.y = np.stack([t.y for t in runs])
        if runs[0].validation is not None:  # scaled once, as ``measure`` scales it every epoch
            scaled = [t.validation[0] if t.arrays.scaling is None else t.arrays.scaling.apply(t.validation[0]) for t in runs]
            self.X_val, self.y_val = np.stack(scaled).astype(F, copy=False), np.stack([t.validation[1] for t in runs])

    def views(self, buffer: np.ndarray) -> list[np.ndarray]:
        return [buffer[start:start + size].reshape(shape) for start, size, shape in self.blocks]


class Batch:
    """Runs that step together (one ``batch_key``), in groups of one shape."""

    def __init__(self, trainings: Iterable):
        self.runs = list(trainings)
        first = self.runs[0]
        if any(batch_key(t) != batch_key(first) for t in self.runs):
            raise ValueError("These runs cannot step together: use train_together, which groups them.")
        self.optimizer, self.batch_size, self.n = first.spec.optimizer, first.spec.batch_size, len(first.X)
        self.shuffle, self.iterations = first.shuffle, first.iterations
        by_shape = defaultdict(list)
        for t in self.runs:
            by_shape[shape_key(t)].append(t)
        self.groups, size = [], 0
        for runs in by_shape.values():
            self.groups.append(_Group(runs, size))
            size = self.groups[-1].end
        self.params = np.empty(size, F)
        self.grads = np.empty(size, F)
        self.slots = [np.empty(size, F) for _ in first.slots]
        self.learning_rates, self.momentums = np.empty(size, F), np.empty(size, F)
        for group in self.groups:
            self._adopt(group)
            group.weights, group.gradients = group.views(self.params), group.views(self.grads)
        self.order = [t for group in self.groups for t in group.runs]  # runs in buffer order

    def _adopt(self, group: _Group) -> None:
        """Copy each run's weights, optimizer state, learning rate and momentum in, then point the run at its
        slice of the buffers."""
        params, slots = group.views(self.params), [group.views(s) for s in self.slots]
        for r, t in enumerate(group.runs):
            mine = [p for pair in zip(t.network.kernels, t.network.biases) for p in pair]
            for view, value in zip(params, mine):
                view[r] = value
            for views, values in zip(slots, t.slots):
                for view, value in zip(views, values):
                    view[r] = value
            t.network = t.network.with_weights([v[r] for v in params[0::2]], [v[r] for v in params[1::2]])
            t.slots = [[view[r] for view in views] for views in slots]
            t.batch = self
        for buffer, field in ((self.learning_rates, "learning_rate"), (self.momentums, "momentum")):
            for (_, _, shape), view in zip(group.blocks, group.views(buffer)):
                view[...] = np.array([F(getattr(t.spec, field)) for t in group.runs], F).reshape(
                    -1, *[1] * (len(shape) - 1))

    def epoch(self) -> list[dict]:
        """Train every run one epoch; each run's record is appended to its history and returned."""
        start = time.perf_counter()
        orders = [np.stack([t.shuffle_rng.permutation(self.n) if self.shuffle else np.arange(self.n) for t in g.runs])
                  for g in self.groups]
        losses = [np.zeros(len(g.runs)) for g in self.groups]
        correct = [np.zeros(len(g.runs), np.int64) for g in self.groups]
        for begin in range(0, self.n, self.batch_size):
            for group, order, loss_sum, right_sum in zip(self.groups, orders, losses, correct):
                batch = order[:, begin:begin + self.batch_size]
                loss, right = self._backward(group, group.X[group.rows, batch], group.y[group.rows, batch])
                loss_sum += loss.astype(np.float64) * batch.shape[1]
                right_sum += right
            optimizers.update(self.optimizer, self.params, self.grads, self.slots, self.learning_rates,
                              self.iterations, self.momentums)
            self.iterations += 1
        seconds = (time.perf_counter() - start) / len(self.order)
        records = []
        for group, loss_sum, right_sum in zip(self.groups, losses, correct):
            validation = _measure(group) if hasattr(group, "X_val") else None
            for r, t in enumerate(group.runs):
                record = {"epoch": len(t.history) + 1, "loss": float(loss_sum[r]) / self.n,
                          "accuracy": int(right_sum[r]) / self.n}
                if validation is not None:
                    record.update(val_loss=float(validation[0][r]), val_accuracy=float(validation[1][r]))
                t.finish_epoch(record, self.iterations, seconds)
                records.append(record)
        return records

    def _backward(self, group: _Group, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Forward and backward on one mini-batch of every run in ``group``, gradients into the buffer;
        returns each run's mean loss and correct count (before the update, as Keras reports them)."""
        kernels, biases = group.weights[0::2], group.weights[1::2]
        inputs, pre, a = [], [], X
        for kernel, bias, name in zip(kernels, biases, group.activations):
            inputs.append(a)
            z = a @ kernel + bias[:, None, :]
            pre.append(z)
            a = z if name == "softmax" else activate(name, z)
        logits = a
        loss = cross_entropy(logits, y)
        right = (logits.argmax(-1) == y.argmax(-1)).sum(-1)
        delta = (softmax(logits) - y) / F(X.shape[1])
        grads = group.gradients
        for i in range(len(kernels) - 1, -1, -1):
            grads[2 * i + 1][...] = delta.sum(1)
            grads[2 * i][...] = inputs[i].transpose(0, 2, 1) @ delta
            if i:
                delta = (delta @ kernels[i].transpose(0, 2, 1)) * derivative(group.activations[i - 1], pre[i - 1], inputs[i])
        return loss.mean(-1), right


def _measure(group: _Group) -> tuple[np.ndarray, np.ndarray]:
    """Each run's validation loss and accuracy, as ``training.measure`` computes them for one."""
    weights = group.weights
    a, last = group.X_val, len(group.activations) - 1
    for i, (kernel, bias, name) in enumerate(zip(weights[0::2], weights[1::2], group.activations)):
        z = a @ kernel + bias[:, None, :]
        a = z if i == last else activate(name, z)
    return cross_entropy(a, group.y_val).mean(-1), (a.argmax(-1) == group.y_val.argmax(-1)).mean(-1)


def cross_entropy(logits: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per-row loss from logits: log-sum-exp minus the true class's logit (never log(0))."""
    top = logits.max(axis=-1, keepdims=True)
    log_sum = np.log(np.exp(logits - top).sum(axis=-1)) + top[..., 0]
    return log_sum - (y * logits).sum(axis=-1)


def train_together(trainings: Iterable, *, until: Callable[[object], int] | None = None,
                   after_epoch: Callable[[list], None] | None = None) -> None:
    """Train every run to its last epoch (or ``until(training)``, or its Stop), batched where they can step together.

    ``after_epoch(runs)`` is called after each batched epoch with the runs that just trained one.
    A run that is done or asked to stop leaves its batch; the others go on in a new one.
    """
    def going(t) -> bool:
        return not t.stop_requested and len(t.history) < (t.spec.epochs if until is None else until(t))

    waiting = [t for t in trainings if going(t)]
    while waiting:
        by_key = defaultdict(list)
        for t in waiting:
            by_key[batch_key(t)].append(t)
        runs = max(by_key.values(), key=len)
        batch = Batch(runs)
        while all(going(t) for t in runs):
            with _locks(runs):
                batch.epoch()
            if after_epoch is not None:
                after_epoch(runs)
        waiting = [t for t in waiting if going(t)]


class _locks:
    """Hold every run's lock for an epoch (``network_now`` in another thread waits for it to end)."""

    def __init__(self, runs):
        self.locks = [t.lock for t in runs]

    def __enter__(self):
        for lock in self.locks:
            lock.acquire()

    def __exit__(self, *_):
        for lock in reversed(self.locks):
            lock.release()
