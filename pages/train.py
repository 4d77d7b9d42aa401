"""Steps 6, 8, 9: train while watching the curves, measure performance, compare runs to tune."""

import itertools

import pandas as pd
import streamlit as st

from pages import end_page, inside_the_app
from pages.ui.controls import control
from pages.ui.display import chart
from penguin_core.engine.kernels import kernels
from penguin_core.errors import PenguinError
from penguin_core.evaluation import evaluate_run
from penguin_core.figures import confusion_heatmap, training_curves
from penguin_core.lab import lab_state, trainer
from penguin_core.live import watch
from penguin_core.preparation import prepared
from penguin_core.text import markdown_literal

inside_the_app()

PACES = {"As fast as possible": None, "Slow motion (about 5 s)": 5.0, "Slow motion (about 15 s)": 15.0}
state = lab_state(st.session_state)
projector = state.projector

st.title("Train, evaluate, tune")
controls, curves, results = st.columns([1.1, 2.4, 1.5], gap="medium")
with controls:
    train_column, stop_column = st.columns(2)
    clicked = train_column.button("Train", type="primary", key="train_button", width="stretch")
    stop = stop_column.button("Stop", key="stop_button", width="stretch",
                              help="Stops after the current epoch and keeps the model so far.")
    control(state, "standardize", "train_")
    control(state, "hidden", "train_")
    for field in ("epochs", "learning_rate"):
        control(state, field, "train_")
    pace = st.selectbox("Speed", list(PACES), key="train_pace")
    st.caption("Every other setting is on the Prepare and Architecture pages.")
data, spec = state.data(), state.model_spec
with curves:
    layers = " → ".join(f"Dense({h.units}, {h.activation})" for h in spec.hidden)
    st.caption(f"Input({len(data.features)}) → {layers + ' → ' if layers else ''}Dense({len(data.species)}, softmax) · "
               f"{spec.optimizer}, learning rate {spec.learning_rate:g} · batch {spec.batch_size} · seed {spec.seed} · "
               f"{'standardized' if data.scaling is not None else 'raw, unscaled'} inputs · "
               f"{len(data.X_train)} training penguins")
    progress_slot, chart_slot = st.empty(), st.empty()

if stop:
    state.stop_training()  # the run so far becomes the current model (kept by the queue, see LabState)
if clicked:
    try:
        seconds = PACES[pace]
        state.begin_training(pace=seconds / spec.epochs if seconds else None)
    except PenguinError as error:
        with controls:
            st.error(markdown_literal(str(error)))
if state.active is not None:  # queued or training: watch it here (it goes on if the learner leaves)
    job, name = state.active
    frames = itertools.count()

    def draw(job) -> None:
        if job.state == "waiting":
            place = trainer().place(job)
            progress_slot.info(f"{name} is waiting for a free trainer: number {place} in line. "
                               "The server trains a few runs at a time, in the order they were asked for.")
            return
        done, total = job.visible(), job.spec.epochs
        progress_slot.progress(done / total, text=f"Training {name}: epoch {done}/{total}")
        with chart_slot:
            chart(training_curves([(name, job.history())], total), projector, key=f"live_{next(frames)}")

    watch(job, draw)
    if state.collect_training() is not None or job.kept is not None:  # kept here, or by the queue just now
        progress_slot.empty()  # the results below are drawn in this same run (the sidebar's after the page)
    elif job.state == "failed":
        st.error("This training failed on the server (its log has the details). Your settings and earlier runs "
                 "are unchanged: try again.")

run = state.run
if run is None:
    if data.scaling is None:
        with curves:
            st.info("The lesson feeds raw measurements to the network: body mass in grams (about 4000) next to "
                    "bill depth in millimetres (about 17). The first loss is in the hundreds or thousands and "
                    "training often ends poorly. Train once like this, then switch standardization on and compare.")
    end_page()
evaluation = evaluate_run(run, prepared(run.data_spec))
if run.history:
    with chart_slot:
        chart(training_curves([(run.name, run.history)], run.model_spec.epochs), projector, key="final_curves")
with results:
    st.metric(f"Test accuracy of {run.name}", f"{evaluation.accuracy:.1%}",
              help=f"Test loss {evaluation.loss:.3g} · {run.epochs_done}/{run.model_spec.epochs} epochs")
    st.markdown("**Confusion matrix** on the test set")
    chart(confusion_heatmap(evaluation.confusion, height=280), projector, key="confusion")
    if evaluation.never_predicted:
        st.warning(f"It never predicts {', '.join(evaluation.never_predicted)}."
                   + (" Unscaled, body mass (in grams) dominates every weighted sum: switch standardization on "
                      "(left) and train again." if not run.data_spec.standardize else ""))
if run.stopped_early:
    st.warning(f"{markdown_literal(run.name)} stopped after {run.epochs_done} of {run.model_spec.epochs} epochs: "
               "the model trained so far is kept and can be used to predict.")

st.header(f"Results of {markdown_literal(run.name)}")
metrics = st.columns(4)
metrics[0].metric("Test accuracy", f"{evaluation.accuracy:.1%}")
metrics[1].metric("Test loss", f"{evaluation.loss:.3g}")
metrics[2].metric("Epochs", f"{run.epochs_done}/{run.model_spec.epochs}")
metrics[3].metric("Compute time", f"{run.seconds:.2f} s", help="Time spent computing epochs, without drawing or slow motion.")
st.caption(f"Weights fingerprint **{run.network.fingerprint()}**: the same settings and seed give the same "
           "fingerprint on this server, alone or with a whole class training at once, and on any computer "
           f"that computes with the same arithmetic kernels (here {kernels()}). Kernels made for another "
           "processor round the last digits differently: there the fingerprint differs, even when the accuracy "
           "is the same.")
scores, mistakes = st.columns([2, 3])
with scores:
    st.markdown("**Per species** (rows: true species)")
    two_places = st.column_config.NumberColumn(format="%.2f")
    st.dataframe(evaluation.per_class, column_config={"precision": two_places, "recall": two_places, "f1": two_places})
with mistakes:
    st.markdown(f"**Misclassified test penguins** ({len(evaluation.misclassified)}; row numbers as in the lesson)")
    st.dataframe(evaluation.misclassified, height=220)

st.header(f"Run history ({len(state.history)} run{'s' if len(state.history) != 1 else ''}): tune and compare")
st.page_link("pages/compare.py", label="Compare runs side by side: settings that differ, scores, confusion "
             "matrices; rename, delete, download", icon=":material/compare_arrows:")
if not state.history:
    st.caption("No runs in this lab's history.")
    end_page()
st.dataframe(pd.DataFrame([r.summary() for r in state.history]).set_index("run"), key="history_table",
             column_config={"test accuracy": st.column_config.NumberColumn(format="percent"),
                            "train accuracy": st.column_config.NumberColumn(format="percent"),
                            "val accuracy": st.column_config.NumberColumn(format="percent")})
names = [r.name for r in state.history]
chosen = st.multiselect("Compare the curves of", names, default=names[-2:],
                        key=f"compare_runs_{len(names)}")  # a new run resets the choice to the latest two
if len(state.history) > 1 and chosen:
    chart(training_curves([(r.name, r.history) for r in state.history if r.name in chosen]), projector,
          key="compare_curves")
st.button("Clear history", on_click=state.clear_history, help="The current model stays usable.")
