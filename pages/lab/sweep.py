"""Step 9, tune: sweep one setting (or two, as a grid) over several seeds. Does it matter, or is it the seed?"""

import pandas as pd
import streamlit as st

from pages.ui.display import chart
from penguin_core.errors import PenguinError
from penguin_core.experiments import AXES, MAX_SEEDS
from penguin_core.lab import the_lab
from penguin_core.text import MAX_TYPED, markdown_literal

lab = the_lab(st.session_state)
state = lab.state
st.title("Sweep a setting")
st.markdown("Change one setting over a few values and train each with several seeds: a difference bigger than "
            "the seed-to-seed spread is the setting's doing, a smaller one may be luck. The runs train together "
            "in one batch, each exactly as it would alone, and join your run history.")


def values_of(axis, key: str):
    """The values of ``axis``: picked from its choices, or typed as a list."""
    if axis.choices:
        return st.multiselect(f"Values of {axis.label}", list(axis.choices), default=list(axis.default),
                              format_func=axis.show, key=key)
    return st.text_input(f"Values of {axis.label}", ", ".join(map(str, axis.default)), key=key, max_chars=MAX_TYPED,
                         help="Separate values with commas, e.g. 2, 10, 50.")


tailoring = lab.tailoring
offered = [n for n, axis in AXES.items() if not (tailoring.hides(axis.field) or tailoring.fixes(axis.field))]
controls, results = st.columns([1.5, 2.6], gap="medium")
with controls:
    if len(offered) < len(AXES):
        st.caption("Your instructor hid or fixed some settings for this exercise, so a sweep does not vary them: "
                   + ", ".join(AXES[n].label for n in AXES if n not in offered) + ".")
    first = st.selectbox("Setting", offered, format_func=lambda n: AXES[n].label, key="sweep_axis_1")
    axes = [(first, values_of(AXES[first], f"sweep_values_{first}"))]
    if st.toggle("Add a second setting (a grid)", key="sweep_grid"):
        second = st.selectbox("Second setting", [n for n in offered if n != first],
                              format_func=lambda n: AXES[n].label, key="sweep_axis_2")
        axes.append((second, values_of(AXES[second], f"sweep_values_2_{second}")))
    seeds = st.slider("Seeds", 1, MAX_SEEDS, 3, key="sweep_seeds",
                      help="Each value is trained once per seed; the spread over seeds is the noise.")
    base = state.model_spec.seed
    st.caption(f"Seeds {base} to {base + seeds - 1}. Every other setting is your lab's (Prepare and "
               "Architecture pages).")
    run_column, stop_column = st.columns(2)
    clicked = run_column.button("Run the sweep", type="primary", key="sweep_run", width="stretch")
    stop = stop_column.button("Stop", key="sweep_stop", width="stretch", help="Stops every run after its epoch.")

if stop:
    lab.stop_sweep()  # the runs stop after their epoch; the loop below then shows what they reached
if clicked:
    try:
        lab.sweep(axes, seeds)
    except PenguinError as error:
        with controls:
            st.error(markdown_literal(str(error)))


def progress(sweeping) -> None:
    """The sweep's epochs as they train, until it ends (it goes on if the learner leaves)."""
    job, runs = sweeping.job, len(sweeping.sweep.trainings)
    bar = st.progress(0.0)
    while not job.finished:
        done, total = job.progress()
        bar.progress(done / total, text=f"Training {runs} runs together: {done:,} of {total:,} epochs")
        job.wait(0.25)
    done, total = job.progress()
    bar.progress(done / total, text=f"{runs} runs, {done:,} of {total:,} epochs"
                 + (" (stopped)" if job.state == "stopped" else ""))
    if job.state == "failed":
        st.error("The sweep failed on the server. Your runs and settings are safe; try again.")
    lab.collect()  # its runs join the history now (or have, by the queue's hand)


def found(sweeping) -> None:
    """What the sweep found: the chart, in words, and the table."""
    outcome = sweeping.sweep.results()
    if not outcome.cells:
        return
    chart(outcome.figure(), state.projector, key="sweep_chart")
    for line in outcome.words():
        st.markdown(markdown_literal(line))
    percent = st.column_config.NumberColumn(format="percent")
    st.dataframe(pd.DataFrame(outcome.table()), hide_index=True,
                 column_config={"mean test accuracy": percent, "mean validation accuracy": percent})
    kept = sweeping.kept
    st.caption("Spread: the standard deviation of test accuracy over the seeds, in percentage points. A gap "
               "counts as larger than the noise when Welch's t-test gives p below 0.05: seeds alone would make a "
               "gap that size less than 1 time in 20. A cross on the chart: a run that never predicts a species. "
               + (f"These {kept} runs joined your run history: compare any of them on the Compare runs page."
                  if kept else "Compare any of these runs on the Compare runs page."))


with results:
    if lab.sweeping is None:
        st.info("Choose a setting and its values, then run the sweep. Try standardization off and on with 5 seeds: "
                "the lesson's question, answered with its noise.")
    else:
        progress(lab.sweeping)
        found(lab.sweeping)
