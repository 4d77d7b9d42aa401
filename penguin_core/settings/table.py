"""Every setting of the lab, declared once: one row each, read by everything that meets a setting.

The specs' validation (``DataSpec``, ``ModelSpec``), the address (``lab.link``), the controls
(``pages/ui/controls.py``), Compare, the exported code, the sweep's axes and the command line all read
these rows, as TensorFlow Playground's ``PROPS`` table and scikit-learn's ``_parameter_constraints`` do.
Adding a setting is one row here, its field on ``DataSpec`` or ``ModelSpec``, and its use in the engine
(see the README, "Adding a setting").
"""

from __future__ import annotations

from dataclasses import dataclass

from penguin_core.data import CATEGORICAL, FEATURES
from penguin_core.engine.optimizers import OPTIMIZERS
from penguin_core.settings.constraints import Flag, Interval, Options, Subset
from penguin_core.settings.layers import LAYERS, HiddenLayer

LOSSES = ("categorical_crossentropy",)
SEEDS = Interval(0, 2**32 - 1, whole=True)


@dataclass(frozen=True)
class Setting:
    """One setting.

    field:   its field on ``DataSpec`` (part "data") or ``ModelSpec`` (part "model"); also its name in the
             exported code, upper-cased, unless ``code`` says otherwise.
    name:    its name in the address and on the command line (``lr``).
    label:   beside its control; ``spoken``: in a sentence ("learning rate").
    help:    what it does, in a sentence or two (the control's tooltip, the exported code's comment).
    accepts: what it accepts (``settings.constraints``); ``why``: added to a refusal's message.
    widget:  its control: number, toggle, checkbox, select, multiselect or layers; ``step``, ``format`` for
             a number.
    sweep:   the values a sweep starts from; empty when a sweep may not vary it.
    """

    field: str
    part: str
    name: str
    label: str
    spoken: str
    default: object
    accepts: object
    widget: str
    help: str = ""
    why: str = ""
    step: float | None = None
    format: str | None = None
    sweep: tuple = ()
    code: str = ""

    @property
    def code_name(self) -> str:
        return self.code or self.field.upper()

    def check(self, value):
        """The value as the setting keeps it, or PenguinError in the one message format."""
        return self.accepts.check(self.spoken[:1].upper() + self.spoken[1:], value, self.why)

    def parse(self, text: str):
        """A value from text (an address, the command line): ValueError or PenguinError when it cannot be."""
        return self.check(self.accepts.parse(text))

    def format_value(self, value) -> str:
        """The value as text that ``parse`` reads back."""
        return self.accepts.format(value)

    def show(self, value):
        """The value for a table a learner reads: tuples as text, numbers and yes/no as they are."""
        return self.accepts.show(value)


SETTINGS: tuple[Setting, ...] = (
    Setting("features", "data", "features", "Measurements (inputs)", "measurements", tuple(FEATURES),
            Subset(tuple(FEATURES)), "multiselect", "The measurements fed to the network."),
    Setting("categorical", "data", "extra", "Add back (one-hot encoded) — not in the lesson", "one-hot extras", (),
            Subset(CATEGORICAL), "multiselect", "Island and/or sex, added one-hot encoded (the lesson drops them)."),
    Setting("standardize", "data", "std", "Standardize", "standardization", False, Flag(), "toggle",
            "Rescale each measurement to mean 0 and standard deviation 1, fitted on the training set. Off in the "
            "lesson: train with and without it and compare.", sweep=(False, True)),
    Setting("test_size", "data", "test", "Test fraction", "test fraction", 0.2, Interval(0.05, 0.8), "number",
            "The fraction of the penguins kept aside for the test set.",
            "Outside that, one part has too few penguins to learn from or to measure with.",
            step=0.05, format="%.2f", sweep=(0.1, 0.2, 0.3)),
    Setting("validation_size", "data", "val", "Validation fraction (of the training part; 0 = none)",
            "validation fraction", 0.0, Interval(0.05, 0.5, or_zero=True), "number",
            "The fraction of the training part kept for validation and measured after every epoch; 0 for none.",
            "Outside that, one part has too few penguins to learn from or to measure with.",
            step=0.05, format="%.2f"),
    Setting("random_state", "data", "split_seed", "random_state (the split's seed)", "split seed", 0, SEEDS,
            "number", "Seeds the split into training and test sets.", step=1),
    Setting("shuffle", "data", "shuffle", "shuffle", "shuffle", True, Flag(), "checkbox",
            "Shuffle the penguins before splitting (stratify needs it)."),
    Setting("stratify", "data", "stratify", "stratify (same species shares in train and test)", "stratify", True,
            Flag(), "checkbox", "Keep each species' share equal in every part."),
    Setting("hidden", "model", "hidden", "Hidden layers", "hidden layers", (HiddenLayer(),),
            LAYERS, "layers",
            "The hidden Dense layers, input side first: units and activation each.", code="HIDDEN_LAYERS"),
    Setting("optimizer", "model", "optimizer", "Optimizer", "optimizer", "adam", Options(OPTIMIZERS), "select",
            "How the weights move after each batch; a new optimizer starts at Keras' own learning rate for it.",
            sweep=("adam", "sgd")),
    Setting("learning_rate", "model", "lr", "Learning rate", "learning rate", 0.001,
            Interval(0.000001, 10), "number", "How far each step moves the weights.", step=0.0005, format="%g",
            sweep=(0.0001, 0.001, 0.01, 0.1)),
    Setting("momentum", "model", "momentum", "Momentum (SGD only)", "momentum", 0.0, Interval(0, 0.99), "number",
            "How much of its last step each SGD step keeps going (Keras' SGD momentum; 0: plain SGD). The other "
            "optimizers do without.", step=0.1, format="%.2f", sweep=(0.0, 0.5, 0.9)),
    Setting("loss", "model", "loss", "Loss", "loss", "categorical_crossentropy", Options(LOSSES), "select",
            "The loss for a one-hot target with softmax outputs."),
    Setting("batch_size", "model", "batch", "Batch size", "batch size", 32, Interval(1, 100_000, whole=True),
            "number", "Penguins per gradient step.", step=1, sweep=(8, 32, 128)),
    Setting("epochs", "model", "epochs", "Epochs", "epochs", 100, Interval(1, 5000, whole=True), "number",
            "Passes over the training set.", step=10, sweep=(25, 50, 100, 200)),
    Setting("seed", "model", "seed", "Seed", "seed", 2, SEEDS, "number",
            "Seeds the initial weights and each epoch's shuffle: the same seed, the same run.", step=1),
)
"""Every setting, in the order of the Prepare and Architecture pages."""

BY_FIELD = {s.field: s for s in SETTINGS}
BY_NAME = {s.name: s for s in SETTINGS}


def setting(key: str) -> Setting:
    """The setting with this field (``learning_rate``) or address name (``lr``); KeyError if none."""
    return BY_FIELD.get(key) or BY_NAME[key]


def settings_of(part: str) -> tuple[Setting, ...]:
    """The rows of one part: "data" (``DataSpec``) or "model" (``ModelSpec``)."""
    return tuple(s for s in SETTINGS if s.part == part)
