"""The lab's settings as widgets, any of them on any page, each drawn from its row of the settings table.

Each control shows the lab's value, and a value the core refuses gets its
own message right under its widget while the lab keeps its last valid
setting, so a page can hold many controls and each says what is wrong with
it. Widget keys are ``prefix + field`` (``arch_epochs``). When the lab's
value changed elsewhere (another page, "Reset to the lesson", an
instructor's setup), the control writes it into its key before drawing:
deleting a widget's key would not do, the browser sends its old value back.

A tailored link (``penguin_core.lab.link``) is honoured here, for every
page at once: a hidden setting's control is not drawn, a fixed one is drawn
disabled with the link's value (its key gets ``fixed_`` after the prefix,
so no value typed earlier shows through). The page says so once, at its top,
in the place app.py keeps with ``tailoring_notice()``.
"""

from __future__ import annotations

import streamlit as st

from penguin_core.data import feature_label
from penguin_core.errors import PenguinError
from penguin_core.lab import the_lab
from penguin_core.settings import BY_FIELD, HiddenLayer
from penguin_core.text import markdown_literal

FIXED_HELP = "Fixed by your instructor for this exercise."
NOTICE_KEY = "frame_tailoring_notice"
SHOWN = ":lab"  # after a widget's key: the lab's value when that widget was last drawn


def tailoring_notice() -> None:
    """app.py, before each page: the place, here at the top, for the page's one notice about the settings a
    tailored link hides or fixes; ``control`` fills it as it meets them."""
    tailoring = the_lab(st.session_state).tailoring
    st.session_state[NOTICE_KEY] = _Notice(st.empty()) if tailoring.hide or tailoring.fix else None


class _Notice:
    """One notice a page: the hidden and fixed settings its controls met, in the order met."""

    def __init__(self, slot):
        self.slot, self.met = slot, {"hidden": [], "fixed": []}

    def add(self, kind: str, field: str) -> None:
        name = BY_FIELD[field].spoken
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


def control(lab, field: str, prefix: str) -> None:
    """One setting's widget, under its field's name; the hidden layers draw a row a layer.

    A setting the tab's link hides is not drawn; one it fixes is drawn disabled and never applied.
    """
    if lab.tailoring.hides(field):
        return _note("hidden", field)
    fixed = lab.tailoring.fixes(field)
    if fixed:
        _note("fixed", field)
        prefix += "fixed_"
    if field == "hidden":
        return hidden_layers(lab, prefix, fixed)
    row = BY_FIELD[field]
    key = prefix + field
    _bind(key, _value(lab, row), fixed)
    value = _widget(row, key, fixed)
    value = tuple(value) if isinstance(value, list) else value
    if not fixed and value != getattr(lab.state.data_spec if row.part == "data" else lab.state.model_spec, field):
        _apply(lab, field, value)
    _seen(key, _value(lab, row))


def hidden_layers(lab, prefix: str, fixed: bool = False) -> None:
    """The number of hidden layers, then a row a layer: units and activation (each checked with the others).

    ``fixed``: drawn disabled, showing the lab's layers, and never applied.
    """
    hidden = lab.state.model_spec.hidden
    accepts = BY_FIELD["hidden"].accepts
    help = FIXED_HELP if fixed else None
    _bind(prefix + "layers", len(hidden), fixed)
    count = st.number_input(f"Hidden layers (0–{accepts.max_layers})", 0, accepts.max_layers, key=prefix + "layers",
                            step=1, disabled=fixed, help=help)
    rows = [hidden[i] if i < len(hidden) else HiddenLayer() for i in range(int(count))]  # a new row: the lesson's
    for key, value in zip(_layer_keys(prefix, len(rows))[1:], _layer_values(rows)[1:]):
        _bind(key, value, fixed)
    layers = []
    for i in range(int(count)):
        units_column, activation_column = st.columns(2)
        units = units_column.number_input(f"Layer {i + 1} units", 1, accepts.max_units, key=f"{prefix}units_{i}",
                                          step=1, disabled=fixed, help=help or
                                          f"Neurons in hidden layer {i + 1}: 1 to {accepts.max_units}.")
        activation = activation_column.selectbox(f"Layer {i + 1} activation", accepts.activations,
                                                 key=f"{prefix}activation_{i}", disabled=fixed)
        layers.append(HiddenLayer(int(units), activation))
    if not fixed and tuple(layers) != hidden:
        _apply(lab, "hidden", tuple(layers))
    hidden = lab.state.model_spec.hidden
    for key, value in zip(_layer_keys(prefix, len(hidden)), _layer_values(hidden)):
        _seen(key, value)


def _layer_keys(prefix: str, count: int) -> list[str]:
    return [prefix + "layers", *(f"{prefix}{part}_{i}" for i in range(count) for part in ("units", "activation"))]


def _layer_values(hidden) -> list:
    return [len(hidden), *(value for layer in hidden for value in (layer.units, layer.activation))]


def _value(lab, row):
    """The lab's value of ``row`` as its widget holds it (a list for a multiselect)."""
    value = getattr(lab.state.data_spec if row.part == "data" else lab.state.model_spec, row.field)
    return list(value) if isinstance(value, tuple) else value


def _bind(key: str, value, fixed: bool) -> None:
    """The widget at ``key`` shows ``value`` (the lab's): written into its key the first time, after the lab
    changed elsewhere since the widget was last drawn, and always when fixed; a value the learner has just
    chosen is left for the lab to take."""
    state = st.session_state
    if fixed or key not in state or state.get(key + SHOWN) != value:
        state[key] = value


def _seen(key: str, value) -> None:
    """The lab's value when its widget was drawn (after the widget's change was taken, or refused)."""
    st.session_state[key + SHOWN] = value


def _widget(row, key: str, fixed: bool = False):
    """The widget for ``row``, at ``key`` (which holds its value); ``fixed``: disabled, saying why."""
    common = {"key": key, "disabled": fixed, "help": FIXED_HELP if fixed else row.help}
    accepts = row.accepts
    if row.widget == "multiselect":
        labels = feature_label if row.field == "features" else str
        return st.multiselect(row.label, list(accepts.options), format_func=labels, **common)
    if row.widget == "toggle":
        return st.toggle(row.label, **common)
    if row.widget == "checkbox":
        return st.checkbox(row.label, **common)
    if row.widget == "select":
        return st.selectbox(row.label, accepts.options, **common)
    if row.widget == "number":
        low = 0 if accepts.or_zero or accepts.above_low else accepts.low
        kind = int if accepts.whole else float
        return st.number_input(row.label, kind(low), kind(accepts.high), step=kind(row.step), format=row.format,
                               **common)
    raise KeyError(row.field)


def _apply(lab, field: str, value) -> None:
    try:
        lab.change(field, value)
    except PenguinError as error:
        st.error(markdown_literal(f"{error} The lab keeps its last valid value."))
