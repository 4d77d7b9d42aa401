"""Penguin Lab's core: the lesson's deep-learning workflow on the Palmer penguins, without any UI.

    from penguin_core import prepare, DataSpec, ModelSpec, train, evaluate_run
    data = prepare(DataSpec(standardize=True))
    run = train(data, ModelSpec(epochs=100))
    evaluate_run(run, data).confusion
"""

import importlib

_EXPORTS = {
    "FEATURES": "data", "SPECIES": "data", "clean": "data", "load_penguins": "data", "load_raw": "data",
    "PenguinError": "errors", "evaluate": "evaluation", "evaluate_run": "evaluation", "HiddenLayer": "model",
    "ModelSpec": "model", "summary_text": "model", "neuron": "neuron", "xor_table": "neuron",
    "predict_one": "prediction", "DataSpec": "preparation", "prepare": "preparation", "split": "preparation",
    "Run": "run", "Training": "training", "train": "training",
}
__all__ = list(_EXPORTS)


def __getattr__(name):
    """Import on first use, so ``import penguin_core.x`` stays as light as module x (PEP 562)."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'penguin_core' has no attribute {name!r}")
    return getattr(importlib.import_module(f"penguin_core.{_EXPORTS[name]}"), name)
