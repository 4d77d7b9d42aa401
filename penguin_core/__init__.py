"""Penguin Lab's core: the lesson's deep-learning workflow on the Palmer penguins, without any UI.

    from penguin_core import prepare, DataSpec, ModelSpec, train, evaluate_run
    data = prepare(DataSpec(standardize=True))
    run = train(data, ModelSpec(epochs=100))
    evaluate_run(run, data).confusion
"""

from penguin_core.data import FEATURES, SPECIES, clean, load_penguins, load_raw
from penguin_core.errors import PenguinError
from penguin_core.evaluation import evaluate, evaluate_run
from penguin_core.model import HiddenLayer, ModelSpec, summary_text
from penguin_core.neuron import neuron, xor_table
from penguin_core.prediction import predict_one
from penguin_core.preparation import DataSpec, prepare, split
from penguin_core.run import Run
from penguin_core.training import Training, train

__all__ = [
    "FEATURES", "SPECIES", "clean", "load_penguins", "load_raw", "PenguinError", "evaluate", "evaluate_run",
    "HiddenLayer", "ModelSpec", "summary_text", "neuron", "xor_table", "predict_one", "DataSpec", "prepare",
    "split", "Run", "Training", "train",
]
