"""The lab's settings as widgets, any of them on any page, all writing the one LabState.

Each control starts from the lab's value, and a value the core refuses
gets its own message right under its widget while the lab keeps its last
valid setting, so a page can hold many controls and each says what is
wrong with it. Widget keys are ``prefix + field`` (``arch_epochs``).

A tailored link (``penguin_core.lab.link``) is honoured here, for every
page at once: a hidden setting's control is not drawn, a fixed one is drawn
disabled with the link's value (its key gets ``fixed_`` after the prefix,
so no value typed earlier shows through). The page says so once, at its top,
in the place app.py keeps with ``tailoring_notice()``.
"""

from __future__ import annotations

import streamlit as st

from penguin_core.data import CATEGORICAL, FEATURES, feature_label
from penguin_core.engine.activations import ACTIVATIONS
from penguin_core.errors import PenguinError
from penguin_core.lab import lab_tailoring
from penguin_core.lab.link import FIELD_NAMES, NAMES
from penguin_core.model import (DEFAULT_LEARNING_RATES, MAX_EPOCHS, MAX_HIDDEN_LAYERS, MAX_UNITS, OPTIMIZERS,
                                HiddenLayer)
from penguin_core.preparation import TEST_FRACTIONS, VALIDATION_FRACTIONS
from penguin_core.text import markdown_literal

LABELS = {
    "features": "Measurements (inputs)", "categorical": "Add back (one-hot encoded) — not in the lesson",
    "standardize": "Standardize",
    "test_size": "Test fraction", "validation_size": "Validation fraction (of the training part; 0 = none)",
    "random_state": "random_state (the split's seed)", "shuffle": "shuffle",
    "stratify": "stratify (same species shares in train and test)",
    "optimizer": "Optimizer", "learning_rate": "Learning rate", "batch_size": "Batch size", "epochs": "Epochs",
    "seed": "Seed",
}
HELP = {
    "standardize": "Rescale each measurement to mean 0 and standard deviation 1, fitted on the training set. "
                   "Off in the lesson: train with and without it and compare.",
    "random_state": "Seeds the split.",
    "seed": "Seeds the initial weights and each epoch's shuffle: the same seed, the same run.",
    "batch_size": "Penguins per gradient step.",
}
FIXED_HELP = "Fixed by your instructor for this exercise."
NOTICE_KEY = "penguin_lab_tailoring_notice"


def tailoring_notice() -> None:
    """app.py, before each page: the place, here at the top, for the page's one notice about the settings a
    tailored link hides or fixes; ``control`` fills it as it meets them."""
    tailoring = lab_tailoring(st.session_state)
    st.session_state[NOTICE_KEY] = _Notice(st.empty()) if tailoring.hide or tailoring.fix else None


class _Notice:
    """One notice a page: the hidden and fixed settings its controls met, in the order met."""

    def __init__(self, slot):
        self.slot, self.met = slot, {"hidden": [], "fixed": []}

    def add(self, kind: str, field: str) -> None:
        name = NAMES[FIELD_NAMES[field]] if field in FIELD_NAMES else field
        if name in self.met[kind]:
            return
        self.met[kind].append(name)
        hidden, fixed = ", ".join(self.met["hidden"]), ", ".join(self.met["fixed"])
        parts = ([f"hid some settings for this exercise: {hidden}"] if hidden else []) + (
            [f"fixed {'these' if hidden else 'some settings for this exercise'} (shown, not changeable): {fixed}"]
            if fixed else [])
        self.slot.info("Your instructor " + "; and ".join(parts) + ".", icon=":material/school:")


def _note(kind: str, field: str) -> None:
    notice = st.session_state.get(NOTICE_KEY)
    if notice is None:  # a page drawn without app.py's place at its top: the notice goes here
        notice = st.session_state[NOTICE_KEY] = _Notice(st.empty())
    notice.add(kind, field)


def control(state, field: str, prefix: str) -> None:
    """One setting's widget, under its field's name; ``hidden`` draws the hidden layers, one row each.

    A setting the session's link hides is not drawn; one it fixes is drawn disabled and never applied.
    """
    tailoring = lab_tailoring(st.session_state)
    if tailoring.hides(field):
        return _note("hidden", field)
    fixed = tailoring.fixes(field)
    if fixed:
        _note("fixed", field)
        prefix += "fixed_"
    if field == "hidden":
        return hidden_layers(state, prefix, fixed)
    key = prefix + field
    spec = state.data_spec if hasattr(state.data_spec, field) else state.model_spec
    current = getattr(spec, field)
    value = _widget(field, key, list(current) if isinstance(current, tuple) else current, fixed)
    if fixed:
        return
    if isinstance(value, list):
        value = tuple(value)
    elif isinstance(value, float) and field in ("random_state", "batch_size", "epochs", "seed"):
        value = int(value)
    if value != getattr(spec, field):
        _apply(state, field, value)


def hidden_layers(state, prefix: str, fixed: bool = False) -> None:
    """The number of hidden layers, then a row a layer: units and activation (each checked on its own).

    ``fixed``: drawn disabled, showing the lab's layers, and never applied.
    """
    spec = state.model_spec
    key = prefix + "layers"
    count = st.number_input(f"Hidden layers (0–{MAX_HIDDEN_LAYERS})", 0, MAX_HIDDEN_LAYERS, len(spec.hidden), step=1,
                            key=key, disabled=fixed, help=FIXED_HELP if fixed else None)
    layers = []
    for i in range(int(count)):
        current = spec.hidden[i] if i < len(spec.hidden) else HiddenLayer()
        units_column, activation_column = st.columns(2)
        units = units_column.number_input(f"Layer {i + 1} units", 1, MAX_UNITS, current.units, step=1,
                                          key=f"{prefix}units_{i}", disabled=fixed, help=FIXED_HELP if fixed
                                          else f"Neurons in hidden layer {i + 1}: 1 to {MAX_UNITS}.")
        activation = activation_column.selectbox(f"Layer {i + 1} activation", ACTIVATIONS,
                                                 ACTIVATIONS.index(current.activation), key=f"{prefix}activation_{i}",
                                                 disabled=fixed)
        layers.append(HiddenLayer(int(units), activation))
    if not fixed and tuple(layers) != spec.hidden:
        _apply(state, "hidden", tuple(layers))


def _widget(field: str, key: str, value, fixed: bool = False):
    """The widget for ``field``, starting at ``value`` (the lab's) the first time it is drawn on a page;
    ``fixed``: disabled, saying why."""
    label = LABELS[field]
    common = {"key": key, "disabled": fixed, "help": FIXED_HELP if fixed else HELP.get(field)}
    if field == "features":
        return st.multiselect(label, list(FEATURES), value, format_func=feature_label, **common)
    if field == "categorical":
        return st.multiselect(label, list(CATEGORICAL), value, **common)
    if field == "standardize":
        return st.toggle(label, value, **common)
    if field in ("shuffle", "stratify"):
        return st.checkbox(label, value, **common)
    if field == "test_size":
        return st.number_input(label, *TEST_FRACTIONS, value, step=0.05, format="%.2f", **common)
    if field == "validation_size":
        return st.number_input(label, 0.0, VALIDATION_FRACTIONS[1], value, step=0.05, format="%.2f", **common)
    if field in ("random_state", "seed"):
        return st.number_input(label, 0, 2**32 - 1, value, step=1, **common)
    if field == "optimizer":
        return st.selectbox(label, OPTIMIZERS, OPTIMIZERS.index(value), on_change=_default_learning_rate,
                            args=(key,), **common)
    if field == "learning_rate":
        return st.number_input(label, 0.00001, 10.0, value, step=0.0005, format="%.4f", **common)
    if field == "batch_size":
        return st.number_input(label, 1, 100_000, value, step=1, **common)
    if field == "epochs":
        return st.number_input(label, 1, MAX_EPOCHS, value, step=10, **common)
    raise KeyError(field)


def _default_learning_rate(key: str) -> None:
    """A new optimizer starts from Keras' own default learning rate for it."""
    rate_key = key.replace("optimizer", "learning_rate")
    st.session_state[rate_key] = DEFAULT_LEARNING_RATES[st.session_state[key]]


def _apply(state, field: str, value) -> None:
    try:
        state.change(field, value)
    except PenguinError as error:
        st.error(markdown_literal(f"{error} The lab keeps its last valid value."))
