"""The Compare runs page: two or more runs side by side, and the history renamed, pruned, cleared and downloaded,
every change kept across a reload."""

import io

import pandas as pd
from streamlit.runtime.media_file_manager import MediaFileManager

from penguin_core.training import train
from penguin_core.model import ModelSpec
from penguin_core.preparation import DataSpec, prepared
from tests.test_pages import go, lab, no_exception, open_app, plain, trained
from tests.test_pages_lab import reload


def with_runs(*standardized):
    """The app on the Compare runs page, after one short run a value (standardized or raw inputs)."""
    at = open_app("start")
    state = lab(at)
    for seed, standardize in enumerate(standardized):
        data_spec = DataSpec(standardize=standardize, validation_size=0.2 if standardize else 0.0)
        run = train(prepared(data_spec), ModelSpec(epochs=4, seed=seed))
        run.name = state.next_run_name()
        state.record(run)
    go(at, "compare").run()
    no_exception(at)
    return at


def picker(at):
    """The multiselect of runs to compare (keyed afresh after a rename or a delete)."""
    return next((m for m in at.multiselect if str(m.key).startswith("compare_pick_")), None)


def run_box(at):
    """The choice of the run to rename or delete."""
    return next(s for s in at.selectbox if str(s.key).startswith("compare_manage_"))


def table(at, index_name):
    """The table whose rows are named ``index_name`` ("setting", or "on the test set" for the scores)."""
    return next((d for d in at.main.dataframe if d.value.index.name == index_name), None)


def names(at):
    """The picker's choices as the learner reads them, newest first."""
    return list(picker(at).options)


def ids_of(at, *wanted):
    return [run.id for name in wanted for run in lab(at).history if run.name == name]


def messages(elements):
    return [plain(e.value) for e in elements]


def test_with_fewer_than_two_runs_it_says_what_to_do():
    at = open_app("compare")
    no_exception(at)
    assert "at least two runs" in at.main.info[0].value and "your history has 0" in at.main.info[0].value
    assert {link.proto.page for link in at.get("page_link")} >= {"train", "sweep"}
    assert picker(at) is None and not at.main.get("download_button")
    one = with_runs(True)
    assert "your history has 1" in one.main.info[0].value and picker(one) is None
    assert one.button(key="compare_rename") and one.get("download_button")  # one run can still be managed


def test_the_two_newest_are_compared_curves_settings_scores_and_confusion_matrices():
    at = with_runs(False, True, True)
    assert names(at) == ["run 3", "run 2", "run 1"]
    assert picker(at).value == ids_of(at, "run 3", "run 2")
    picker(at).set_value(ids_of(at, "run 3", "run 1")).run()
    no_exception(at)
    curves = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("compare_curves"))
    for name in ("run 3 training", "run 3 validation", "run 1 training"):
        assert name in curves.proto.spec
    assert "run 1 validation" not in curves.proto.spec  # the raw run has no validation set
    settings, scores = table(at, "setting"), table(at, "on the test set")
    assert list(settings.value.columns) == ["differs", "run 3", "run 1"]
    differing = set(settings.value.index[settings.value["differs"] == "≠"])
    assert differing == {"standardization", "validation fraction", "seed"}
    assert "#fff3b0" in settings.proto.arrow_data.styler.styles  # the differing cells are highlighted
    assert list(scores.value.columns) == ["run 3", "run 1"] and "recall Chinstrap" in scores.value.index
    confusions = [c for c in at.get("plotly_chart") if "compare_confusion" in c.proto.id]
    assert len(confusions) == 2 and all("predicted species" in c.proto.spec for c in confusions)


def test_picking_fewer_than_two_asks_for_another():
    at = with_runs(False, True)
    picker(at).set_value(ids_of(at, "run 1")).run()
    assert any("Pick at least two" in i.value for i in at.main.info) and table(at, "setting") is None


def test_a_new_run_is_picked_with_the_one_before_it():
    at = with_runs(False, True, True)
    picker(at).set_value(ids_of(at, "run 1", "run 2")).run()
    at.run()
    assert picker(at).value == ids_of(at, "run 1", "run 2")  # kept while nothing new arrives
    run = train(prepared(DataSpec()), ModelSpec(epochs=2))
    run.name = lab(at).next_run_name()
    lab(at).record(run)
    at.run()
    assert picker(at).value == ids_of(at, "run 4", "run 3")


def test_renaming_a_run_shows_the_name_as_text_keeps_the_choice_and_outlives_a_reload():
    at = with_runs(False, True, True)
    run_box(at).set_value(ids_of(at, "run 2")[0]).run()
    at.text_input(key="compare_new_name").input("![x](http://e.vil/x.png) <b>std</b>").run()
    at.button(key="compare_rename").click().run()
    no_exception(at)
    new = "![x](http://e.vil/x.png) <b>std</b>"
    assert [r.name for r in lab(at).history] == ["run 1", new, "run 3"]
    assert names(at) == ["run 3", new, "run 1"]
    assert picker(at).value == ids_of(at, "run 3", new)  # the renamed run is still picked
    success = at.main.success[0].value
    assert plain(success) == f"Renamed to {new}." and "](" not in success and "<b>" not in success
    assert at.text_input(key="compare_new_name").value == ""
    assert [r.name for r in lab(reload(at)).history] == ["run 1", new, "run 3"]


def test_a_name_already_taken_is_refused_next_to_the_button():
    at = with_runs(False, True)
    at.text_input(key="compare_new_name").input("RUN 1").run()
    at.button(key="compare_rename").click().run()
    no_exception(at)
    assert messages(at.main.error) == ["Another run is already called RUN 1: choose another name."]
    assert [r.name for r in lab(at).history] == ["run 1", "run 2"]


def test_deleting_the_current_models_run_keeps_the_model_and_outlives_a_reload():
    at = with_runs(False, True, True)
    current = lab(at).run
    assert any("stays your current model" in c.value for c in at.main.caption)  # run 3, chosen first, is current
    at.button(key="compare_delete").click().run()
    no_exception(at)
    assert [r.name for r in lab(at).history] == ["run 1", "run 2"] and lab(at).run is current
    assert "Deleted run 3 from the history. It stays your current model" in messages(at.main.success)[0]
    assert names(at) == ["run 2", "run 1"]
    again = reload(at, "compare")
    assert [r.name for r in lab(again).history] == ["run 1", "run 2"] and lab(again).run.name == "run 3"


def test_deleting_older_runs_keeps_the_choice_of_the_others_and_outlives_a_reload():
    at = with_runs(False, True, True, False)
    run_box(at).set_value(ids_of(at, "run 1")[0]).run()
    at.button(key="compare_delete").click().run()
    assert picker(at).value == ids_of(at, "run 4", "run 3")
    run_box(at).set_value(ids_of(at, "run 3")[0]).run()
    at.button(key="compare_delete").click().run()
    assert picker(at).value == ids_of(at, "run 4")  # a deleted run leaves the choice, the other stays
    assert [r.name for r in lab(reload(at, "compare")).history] == ["run 2", "run 4"]


def test_clearing_the_history_asks_first_keeps_the_model_and_outlives_a_reload():
    at = with_runs(False, True, True)
    assert at.button(key="compare_clear").disabled
    at.checkbox(key="compare_clear_sure").check().run()
    assert "all 3 runs" in at.checkbox(key="compare_clear_sure").label
    at.button(key="compare_clear").click().run()
    no_exception(at)
    assert lab(at).history == [] and lab(at).run.name == "run 3"
    assert "your history has 0" in at.main.info[0].value
    again = reload(at, "compare")
    assert lab(again).history == [] and lab(again).run.name == "run 3"


def test_the_history_downloads_as_csv_safe_for_spreadsheets(monkeypatch):
    made = []
    original = MediaFileManager.add_deferred
    monkeypatch.setattr(MediaFileManager, "add_deferred",
                        lambda self, make, *args, **kwargs: made.append(make) or original(self, make, *args, **kwargs))
    at = with_runs(False, True)
    lab(at).rename(lab(at).history[0].id, "=cmd()")
    at.run()
    button = at.get("download_button")[0]
    assert button.proto.label == "Download the history (.csv)"
    frame = pd.read_csv(io.StringIO(made[-1]()))
    assert frame["name"].tolist() == ["'=cmd()", "run 2"]
    assert frame["standardization"].tolist() == [False, True]
    assert {"test accuracy", "test loss", "recall Gentoo", "fingerprint", "seconds"} <= set(frame.columns)


def test_the_page_says_how_many_runs_the_history_keeps():
    at = with_runs(True)
    assert any("keeps your newest 50 runs" in c.value for c in at.main.caption)


def test_the_train_page_links_to_the_comparison():
    at = trained(epochs=3)
    assert any(link.proto.page == "compare" for link in at.get("page_link"))
