"""Comparing runs (penguin_core.comparison) and keeping the history tidy (LabState.rename, LabState.delete),
persisted in the lab's store."""

import io

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from penguin_core import comparison
from penguin_core.database import Database
from penguin_core.database.schema import runs as run_rows
from penguin_core.training import train
from penguin_core.errors import PenguinError
from penguin_core.evaluation import evaluate_run
from penguin_core.lab import LabState, LabStore
from penguin_core.lab.store import key_hash
from penguin_core.model import HiddenLayer, ModelSpec
from penguin_core.preparation import DataSpec, prepared
from penguin_core.settings import BY_NAME
from penguin_core.text import MAX_NAME


@pytest.fixture(scope="module")
def three_runs():
    """The lesson's raw run, the same standardized with a validation set, and a wider network."""
    raw = train(prepared(DataSpec()), ModelSpec(epochs=6))
    scaled = train(prepared(DataSpec(standardize=True, validation_size=0.2)), ModelSpec(epochs=6))
    wide = train(prepared(DataSpec(standardize=True, validation_size=0.2)),
                 ModelSpec(hidden=(HiddenLayer(16, "tanh"),), epochs=6, learning_rate=0.01))
    for run, name in ((raw, "raw"), (scaled, "scaled"), (wide, "wide")):
        run.name = name
    return [raw, scaled, wide]


def a_lab(count=3) -> LabState:
    state = LabState()
    for seed in range(count):
        run = train(prepared(DataSpec(standardize=True)), ModelSpec(epochs=2, seed=seed))
        run.name = state.next_run_name()
        state.record(run)
    return state


def stored_ids(store, state):
    with store.database.engine.connect() as connection:
        return set(connection.execute(select(run_rows.c.id).where(run_rows.c.lab == key_hash(state.key))).scalars())


def test_the_settings_that_differ_are_marked_and_only_those(three_runs):
    raw, scaled, _ = three_runs
    settings = comparison.settings_table([scaled, raw])
    table, differs = settings.table, settings.differs
    assert list(table.columns) == ["differs", "scaled", "raw"] and differs.shape == table.shape
    changed = {"standardization", "validation fraction"}
    assert set(table.index[table["differs"] == "≠"]) == changed
    assert set(differs.index[differs.all(axis=1)]) == changed
    assert not differs.loc[~differs.index.isin(changed)].any().any()
    assert table.loc["standardization"].tolist() == ["≠", "yes", "no"] and table.loc["hidden layers", "raw"] == "10 relu"
    same = comparison.settings_table([raw, raw])
    assert not same.differs.any().any() and list(same.table.columns) == ["differs", "raw", "raw (2)"]


def test_every_setting_of_a_run_is_one_flat_value(three_runs):
    row = comparison.run_settings(three_runs[2])
    assert row["hidden layers"] == "16 tanh" and row["learning rate"] == 0.01 and row["standardization"] is True
    assert row["measurements"] == "all 4"  # short enough for the table's cell (the issue: it was cut)
    assert BY_NAME["features"].show(("bill_length_mm", "bill_depth_mm", "flipper_length_mm")) == "all but body_mass_g"
    assert BY_NAME["features"].show(("body_mass_g", "bill_depth_mm")) == "body_mass_g, bill_depth_mm"
    assert row["one-hot extras"] == "none" and row["epochs"] == 6


def test_curves_overlay_one_colour_a_run_validation_dashed_names_as_text(three_runs):
    raw, scaled, wide = three_runs
    raw.name = "<b>raw</b>"
    try:
        traces = comparison.compare_curves([raw, scaled, wide]).to_dict()["data"]
    finally:
        raw.name = "raw"
    colours = {}
    for trace in traces:
        colours.setdefault(trace["name"].rsplit(" ", 1)[0], set()).add(trace["line"]["color"])
    assert set(colours) == {"&lt;b&gt;raw&lt;/b&gt;", "scaled", "wide"}
    assert all(len(c) == 1 for c in colours.values()) and len(set.union(*colours.values())) == 3
    dashed = {t["name"] for t in traces if t["line"]["dash"] == "dash"}
    assert dashed == {"scaled validation", "wide validation"}  # the raw run has no validation set
    assert {t["yaxis"] for t in traces} == {"y", "y2"}  # loss and accuracy


def test_test_scores_side_by_side_are_computed_on_each_runs_test_set(three_runs):
    measured = comparison.evaluations(three_runs)
    table = comparison.metrics_table(three_runs, measured)
    assert list(table.columns) == ["raw", "scaled", "wide"]
    for run, evaluation in zip(three_runs, measured):
        again = evaluate_run(run, prepared(run.data_spec))
        assert table.loc["test accuracy", run.name] == f"{again.accuracy:.1%}"
        assert table.loc["recall Chinstrap", run.name] == f"{again.per_class.loc['Chinstrap', 'recall']:.0%}"
        assert table.loc["weights fingerprint", run.name] == run.network.fingerprint()
        assert table.loc["never predicts", run.name] == (", ".join(again.never_predicted) or "—")
    assert {"recall Adelie", "recall Gentoo", "test loss", "epochs done", "compute time"} <= set(table.index)


def test_one_confusion_matrix_a_run_titled_as_plain_text(three_runs):
    raw = three_runs[0]
    raw.name = "<img src=x>"
    try:
        measured = comparison.evaluations(three_runs)
        figures = comparison.confusion_figures(three_runs, measured)
    finally:
        raw.name = "raw"
    assert len(figures) == 3 and figures[0].to_dict()["layout"]["title"]["text"].startswith("&lt;img src=x&gt;: ")
    for figure, evaluation in zip(figures, measured):
        np.testing.assert_array_equal(np.asarray(figure.to_dict()["data"][0]["z"]), evaluation.confusion.to_numpy())


def test_the_history_as_csv_one_row_a_run_with_every_column(three_runs):
    frame = pd.read_csv(io.StringIO(comparison.history_csv(three_runs)))
    assert frame["name"].tolist() == ["raw", "scaled", "wide"]
    expected = ["name", *comparison.run_settings(three_runs[0]), "epochs done", "test accuracy", "test loss",
                "recall Adelie", "recall Chinstrap", "recall Gentoo", "fingerprint", "seconds"]
    assert frame.columns.tolist() == expected
    assert frame["fingerprint"].tolist() == [r.network.fingerprint() for r in three_runs]
    assert frame["standardization"].tolist() == [False, True, True] and frame["epochs done"].tolist() == [6, 6, 6]
    assert frame["test accuracy"].tolist() == pytest.approx([r.test_metrics["accuracy"] for r in three_runs], abs=1e-4)


@pytest.mark.parametrize("name", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", " =HYPERLINK(\"http://x\")"])
def test_a_name_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe(three_runs, name):
    raw = three_runs[0]
    raw.name = name
    try:
        frame = pd.read_csv(io.StringIO(comparison.history_csv([raw])), keep_default_na=False)
    finally:
        raw.name = "raw"
    assert frame["name"][0] == "'" + name
    assert frame["test loss"][0] > 0 and frame["hidden layers"][0] == "10 relu"


def test_only_text_is_made_safe_numbers_stay_numbers():
    assert comparison.spreadsheet_safe(-0.5) == -0.5 and comparison.spreadsheet_safe("run 1") == "run 1"
    assert comparison.spreadsheet_safe("a=b") == "a=b" and comparison.spreadsheet_safe("\t=1") == "'\t=1"


def test_renaming_cleans_and_bounds_the_name_and_keeps_names_distinct():
    state = a_lab()
    first, second, third = state.history
    assert state.rename(first.id, "  **bold**\n<b>x</b>\x00 ") == "**bold** <b>x</b>" == first.name
    assert len(state.rename(second.id, "y" * 500)) == MAX_NAME
    assert state.rename(third.id, "run 3") == "run 3"  # its own name again is fine
    with pytest.raises(PenguinError, match="already called"):
        state.rename(third.id, "**BOLD** <b>X</b>")
    with pytest.raises(PenguinError, match="Type a name"):
        state.rename(third.id, " \n\t ")
    with pytest.raises(PenguinError, match="no longer in your history"):
        state.rename("no-such-run", "anything")
    assert third.name == "run 3"


def test_deleting_a_run_keeps_the_others_and_the_current_model():
    state = a_lab()
    first, second, third = state.history
    assert state.delete(first.id) is first and state.history == [second, third]
    assert first.id in state.forgotten
    state.delete(third.id)  # the current model
    assert state.history == [second] and state.run is third and third.id not in state.forgotten
    with pytest.raises(PenguinError, match="no longer in your history"):
        state.delete(first.id)


def test_a_rename_and_a_delete_outlive_a_reload(tmp_path):
    store = LabStore(Database.open(f"sqlite:///{tmp_path / 'lab.sqlite3'}"))
    state = a_lab()
    store.save(state)
    first, second, third = state.history
    state.rename(second.id, "standardized")
    state.delete(first.id)
    store.save(state)
    back = store.load(state.key)
    assert [r.name for r in back.history] == ["standardized", "run 3"] and back.run.name == "run 3"
    assert stored_ids(store, state) == {second.id, third.id}


def test_a_deleted_current_model_stays_until_another_replaces_it(tmp_path):
    store = LabStore(Database.open(f"sqlite:///{tmp_path / 'lab.sqlite3'}"))
    state = a_lab(2)
    first, current = state.history
    state.delete(current.id)
    store.save(state)
    back = store.load(state.key)
    assert [r.name for r in back.history] == ["run 1"] and back.run.name == "run 2"
    assert back.run.network.fingerprint() == current.network.fingerprint()
    newer = train(prepared(DataSpec()), ModelSpec(epochs=2))
    newer.name = back.next_run_name()
    back.record(newer)  # nothing refers to run 2 any more: its row goes
    store.save(back)
    assert stored_ids(store, state) == {first.id, newer.id}
    assert [r.name for r in store.load(state.key).history] == ["run 1", "run 3"]
