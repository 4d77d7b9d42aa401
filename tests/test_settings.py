"""Every setting declared once: the table's rows are the specs' fields, and the address, the controls,
Compare, the exported code, the sweep's axes and the command line all read them, with one set of bounds."""

import dataclasses
import re
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from penguin_core.comparison import run_settings
from penguin_core.errors import PenguinError
from penguin_core.experiments import AXES, Sweep
from penguin_core.export.settings_block import settings_code
from penguin_core.lab.link import Setup, from_params, to_params
from penguin_core.model import ModelSpec
from penguin_core.preparation import DataSpec
from penguin_core.settings import SETTINGS, HiddenLayer, Interval, setting
from penguin_core.training import train
from tests.test_pages import go, lab, no_exception

OTHER_VALUES = {  # a valid value of each setting other than the lesson's
    "features": ("bill_length_mm", "body_mass_g"), "categorical": ("sex",), "standardize": True, "test_size": 0.3,
    "validation_size": 0.2, "random_state": 7, "shuffle": False, "stratify": False,
    "hidden": (HiddenLayer(16, "tanh"), HiddenLayer(8)), "optimizer": "sgd", "learning_rate": 0.05, "momentum": 0.9,
    "loss": "categorical_crossentropy", "batch_size": 16, "epochs": 7, "seed": 11,
}


def spec_with(field: str, value) -> Setup:
    row = setting(field)
    if row.part == "data":
        extra = {"stratify": False} if field == "shuffle" else {}
        return Setup(DataSpec(**{field: value, **extra}), ModelSpec())
    return Setup(DataSpec(), ModelSpec(**{field: value}))


def test_the_rows_are_the_specs_fields_with_their_defaults():
    fields = {"data": DataSpec, "model": ModelSpec}
    for part, kind in fields.items():
        assert [f.name for f in dataclasses.fields(kind)] == [row.field for row in SETTINGS if row.part == part]
        assert all(getattr(kind(), row.field) == row.default for row in SETTINGS if row.part == part)
    assert len({row.name for row in SETTINGS}) == len(SETTINGS) == len(OTHER_VALUES)


@pytest.mark.parametrize("row", SETTINGS, ids=lambda row: row.field)
def test_every_setting_reads_back_from_the_address_and_shows_in_compare_and_the_code(row):
    setup = spec_with(row.field, OTHER_VALUES[row.field])
    params = to_params(setup)
    if row.default != OTHER_VALUES[row.field]:
        assert row.name in params
    assert from_params(params) == (setup, [])
    run = train(_prepared(setup.data_spec), dataclasses.replace(setup.model_spec, epochs=1))
    assert row.spoken in run_settings(run)
    assert f"\n{row.code_name} = " in settings_code(setup.data_spec, setup.model_spec)


def _prepared(spec):
    from penguin_core.preparation import prepared

    return prepared(spec)


@pytest.mark.parametrize("row", [row for row in SETTINGS if isinstance(row.accepts, Interval)],
                         ids=lambda row: row.field)
def test_one_set_of_bounds_for_the_spec_the_address_and_the_sweep(row):
    accepts = row.accepts
    above = accepts.high + (1 if accepts.whole else accepts.high)
    with pytest.raises(PenguinError, match=re.escape(f"must be {accepts.describe()}")):
        row.check(above)
    _, ignored = from_params({row.name: str(above)})
    assert ignored and accepts.describe() in ignored[0]
    if row.sweep:
        with pytest.raises(PenguinError, match="must be"):
            Sweep.plan(DataSpec(), ModelSpec(), [(row.field, str(above))], 1)
        assert AXES[row.field].default == row.sweep


def test_every_setting_is_an_option_of_the_command_line():
    result = subprocess.run([sys.executable, "-m", "penguin_core", "train", "--help"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0
    for row in SETTINGS:
        assert f"--{row.name.replace('_', '-')}" in result.stdout and f"--{row.field.replace('_', '-')}" in result.stdout


def test_the_command_line_reads_a_setting_as_the_address_does():
    from penguin_core.cli import _parser, _specs

    args = _parser().parse_args(["train", "--test", "0.3", "--features", "bill_length_mm,body_mass_g", "--std",
                                 "--hidden", "16-tanh", "8", "--optimizer", "sgd", "--split-seed", "7"])
    data, model = _specs(args)
    assert data == DataSpec(test_size=0.3, features=("bill_length_mm", "body_mass_g"), standardize=True,
                            random_state=7)
    assert model == ModelSpec(hidden=(HiddenLayer(16, "tanh"), HiddenLayer(8)), optimizer="sgd", learning_rate=0.01)


CONTROLS = {"prepare": "prep_", "architecture": "arch_"}


def test_every_setting_has_a_control_with_the_tables_label_and_bounds():
    at = AppTest.from_file("../app.py", default_timeout=60).run()
    drawn = {}
    for page, prefix in CONTROLS.items():
        go(at, page).run()
        for kind in ("number_input", "toggle", "checkbox", "selectbox", "multiselect"):
            drawn |= {widget.key.removeprefix(prefix): widget for widget in at.get(kind)
                      if widget.key and widget.key.startswith(prefix)}
    for row in SETTINGS:
        if row.field == "hidden":
            assert drawn["units_0"].max == row.accepts.max_units and drawn["layers"].max == row.accepts.max_layers
            continue
        widget = drawn[row.field]
        assert widget.label == row.label and widget.help == row.help
        if isinstance(row.accepts, Interval):
            low = 0 if row.accepts.or_zero else row.accepts.low
            assert (widget.min, widget.max) == (low, row.accepts.high), row.field


@pytest.mark.parametrize("params", [
    {"lr": "0.000001"}, {"lr": "10"}, {"batch": "100000"}, {"test": "0.8", "batch": "200"}, {"val": "0.5"},
    {"epochs": "5000", "batch": "1"}, {"hidden": "256-relu,256-relu,256-relu,256-relu"}, {"seed": "4294967295"},
])
def test_a_page_never_fails_on_a_value_the_lab_accepted(params):
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params.update(params)
    at.run()
    assert not any("could not be used" in w.value for w in at.warning), [w.value for w in at.warning]
    for page in ("prepare", "architecture", "train", "playground", "sweep"):
        go(at, page).run()
        no_exception(at)
        assert not any("Something went wrong" in e.value for e in at.error), page
    assert lab(at).model_spec == from_params(params)[0].model_spec
