"""Step 9, tune: two or more runs side by side (curves, the settings that differ, test scores), and the
history kept tidy (rename, delete, clear, download)."""

import streamlit as st

from pages.ui.display import chart
from penguin_core import comparison, workflow
from penguin_core.errors import PenguinError
from penguin_core.lab import MAX_HISTORY, the_lab
from penguin_core.text import MAX_NAME, markdown_literal

DIFFERS = "background-color: #fff3b0; font-weight: 600"
PER_ROW = 4


def show(outcome: tuple[str, str] | None) -> None:
    """What the last rename or delete did, said as plain text (a run's name is the learner's typing)."""
    if outcome is not None:
        kind, message = outcome
        (st.success if kind == "success" else st.error)(markdown_literal(message))


lab = the_lab(st.session_state)
state = lab.state
history = state.history[::-1]  # newest first
ids = [run.id for run in history]
labels = dict(zip(ids, comparison.run_labels(history)))
version = abs(hash(tuple(labels.items())))  # widgets keyed by it start afresh after a rename or a delete,
                                            # from the choice remembered below (not from a stale label)

st.title("Compare runs")
st.markdown("Tuning means changing one setting, training again and comparing. Pick two or more runs: their "
            "curves overlaid, the settings that differ highlighted, and their scores on the test set side by side.")
if len(history) < 2:
    st.info(f"Comparing needs at least two runs; your history has {len(history)}. Train on the Train page, "
            "change one setting (standardization, say) and train again, or run a sweep.")
    st.page_link(workflow.page("train").file, label="Train a run", icon=":material/model_training:")
    st.page_link(workflow.page("sweep").file, label="Sweep a setting", icon=":material/tune:")
else:
    known, remembered = st.session_state.get("compare_picked", (set(), []))
    default = ids[:2] if set(ids) - known else [i for i in remembered if i in labels]  # new runs: the newest two
    picked = st.multiselect("Runs to compare (newest first)", ids, default=default[:comparison.MAX_COMPARED],
                            format_func=labels.get, max_selections=comparison.MAX_COMPARED,
                            key=f"compare_pick_{version}",
                            help=f"Up to {comparison.MAX_COMPARED} runs, one colour each.")
    st.session_state["compare_picked"] = (set(ids), picked)
    runs = [run for run in history if run.id in picked]
    if len(runs) < 2:
        st.info("Pick at least two runs to compare.")
    else:
        measured = comparison.evaluations(runs)
        st.header("Loss and accuracy, epoch by epoch")
        chart(comparison.compare_curves(runs), state.projector, key="compare_curves")
        st.caption("One colour a run: training solid, validation dashed (a run has a validation curve when "
                   "its validation fraction, on the Prepare page, is above 0).")
        st.header("Settings")
        settings = comparison.settings_table(runs)
        st.dataframe(settings.table.style.apply(lambda _: settings.differs.map(lambda d: DIFFERS if d else ""),
                                                axis=None), height="content",
                     column_config={"differs": st.column_config.TextColumn(width="small")})
        st.caption("≠ and yellow: the settings that differ between these runs." if settings.differs.any().any()
                   else "These runs have the same settings: the same seed gives the same weights (compare "
                        "the fingerprints below).")
        st.header("On the test set")
        st.dataframe(comparison.metrics_table(runs, measured), height="content")
        figures = comparison.confusion_figures(runs, measured)
        per_row = min(len(figures), PER_ROW)
        for start in range(0, len(figures), per_row):
            for column, (number, figure) in zip(st.columns(per_row), enumerate(figures[start:start + per_row], start)):
                with column:
                    chart(figure, state.projector, key=f"compare_confusion_{number}")
        st.caption("Confusion matrices: rows are the true species, columns the predicted ones.")

def rename(run_id: str) -> None:
    try:
        name = lab.rename(run_id, st.session_state.get("compare_new_name", ""))
        st.session_state["compare_new_name"] = ""
        st.session_state["compare_outcome"] = ("success", f"Renamed to {name}.")
    except PenguinError as error:
        st.session_state["compare_outcome"] = ("error", str(error))


def delete(run_id: str) -> None:
    try:
        run = lab.delete(run_id)
        kept = " It stays your current model (Predict, Share)." if run is state.run else ""
        st.session_state["compare_outcome"] = ("success", f"Deleted {run.name} from the history.{kept}")
    except PenguinError as error:
        st.session_state["compare_outcome"] = ("error", str(error))


def manage(outcome) -> None:
    """Rename or delete a run (``outcome``: what the last click did), download the history, or clear it."""
    st.header("Manage the history")
    st.caption(f"The history keeps your newest {MAX_HISTORY} runs: an older one is let go when a new one arrives.")
    chosen_id = st.session_state.get("compare_managed")
    chosen_id = st.selectbox("Run to rename or delete", ids, index=ids.index(chosen_id) if chosen_id in ids else 0,
                             format_func=labels.get, key=f"compare_manage_{version}")
    st.session_state["compare_managed"] = chosen_id
    name_column, rename_column, delete_column = st.columns([3, 1, 1], vertical_alignment="bottom")
    name_column.text_input("New name", max_chars=MAX_NAME, key="compare_new_name",
                           placeholder="e.g. standardized, 20 units")
    rename_column.button("Rename", key="compare_rename", on_click=rename, args=(chosen_id,), width="stretch")
    delete_column.button("Delete", key="compare_delete", on_click=delete, args=(chosen_id,), width="stretch")
    if state.run is not None and state.run.id == chosen_id:
        st.caption("This run is your current model: deleted from the history, it stays your current model "
                   "(Predict, Share) until you train another.")
    show(outcome)
    download_column, clear_column = st.columns(2)
    with download_column:
        st.download_button("Download the history (.csv)",
                           lambda runs=list(state.history): comparison.history_csv(runs),
                           file_name="penguin-lab-runs.csv", mime="text/csv", on_click="ignore",
                           key="compare_download", help="One row a run, oldest first: name, settings, epochs done, "
                           "test accuracy and loss, recall per species, weights fingerprint, compute time.")
    with clear_column:
        sure = st.checkbox(f"Yes, delete all {len(history)} runs of the history", key="compare_clear_sure",
                           help="The current model stays usable.")
        st.button("Clear the history", key="compare_clear", on_click=lab.clear_history, disabled=not sure)


outcome = st.session_state.pop("compare_outcome", None)  # set by the callbacks above, at the last click
if history:
    manage(outcome)
else:
    show(outcome)
