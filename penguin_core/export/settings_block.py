"""The learner's settings as the first piece of the exported code: one commented block of Python literals.

Every value is written with repr() and read back with ast.literal_eval before
it is used, so nothing a learner typed can become code. The steps read these
names, so changing one (STANDARDIZE = True, say) changes the run, as in the app.
"""

from __future__ import annotations

import ast
import numbers

from penguin_core.model import ModelSpec
from penguin_core.preparation import DataSpec

COMMENT_COLUMN = 24
ENGINE_NOTE = ("Penguin Lab trains with its own NumPy engine; Keras starts from other initial weights and "
               "shuffles its batches differently, so this run's numbers come close to the app's without being "
               "the same (the weights fingerprint on the Train page will not match).")


def literal(value) -> str:
    """``value`` (plain numbers, text, lists of them) as a Python literal that reads back as the same value."""
    plain = _plain(value)
    text = repr(plain)
    if ast.literal_eval(text) != plain:
        raise ValueError(f"{text[:40]} does not read back as itself")
    return text


def _plain(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    raise TypeError(f"{type(value).__name__} is not a plain setting")


def settings_code(data_spec: DataSpec, model_spec: ModelSpec) -> str:
    """The learner's settings as one commented block of assignments."""
    rows = [
        ("FEATURES", list(data_spec.features), "the measurements fed to the network"),
        ("CATEGORICAL", list(data_spec.categorical), "island and/or sex, added one-hot (the lesson drops them)"),
        ("TEST_SIZE", data_spec.test_size, "fraction of the penguins kept aside for the test set"),
        ("VALIDATION_SIZE", data_spec.validation_size, "fraction of the training part kept for validation (0: none)"),
        ("RANDOM_STATE", data_spec.random_state, "seed of the train/test shuffle"),
        ("SHUFFLE", data_spec.shuffle, "shuffle before splitting"),
        ("STRATIFY", data_spec.stratify, "keep each species' share equal in every part"),
        ("STANDARDIZE", data_spec.standardize, "rescale each input to mean 0, std 1 (training part's)"),
        ("HIDDEN_LAYERS", [(layer.units, layer.activation) for layer in model_spec.hidden],
         "(units, activation) per hidden layer, input side first"),
        ("OPTIMIZER", model_spec.optimizer, "adam, sgd, rmsprop or adagrad"),
        ("LEARNING_RATE", model_spec.learning_rate, ""),
        ("LOSS", model_spec.loss, ""),
        ("BATCH_SIZE", model_spec.batch_size, "penguins per gradient step"),
        ("EPOCHS", model_spec.epochs, "passes over the training set"),
        ("SEED", model_spec.seed, "initial weights and each epoch's shuffle"),
    ]
    body = comment_lines(ENGINE_NOTE)
    for name, value, comment in rows:
        line = f"{name} = {literal(value)}"
        if comment and len(line) > COMMENT_COLUMN - 2:
            body += [f"# {name}: {comment}", line]
        else:
            body.append(f"{line:<{COMMENT_COLUMN}}# {comment}" if comment else line)
    return "\n".join(body)


def comment_lines(text: str, width: int = 78) -> list[str]:
    """``text`` as "# " lines of at most ``width`` characters."""
    lines, line = [], "#"
    for word in text.split():
        if len(line) + 1 + len(word) > width:
            lines.append(line)
            line = "#"
        line += " " + word
    return [*lines, line]
