"""Steps 6, 8, 9: train while watching the curves, measure performance, compare runs to tune."""

import itertools

import pandas as pd
import streamlit as st

from pages.ui.controls import control
from pages.ui.display import chart
from penguin_core import workflow
from penguin_core.engine.kernels import kernels
from penguin_core.errors import PenguinError
from penguin_core.evaluation import evaluate_run
from penguin_core.figures import confusion_heatmap, training_curves
from penguin_core.lab import the_lab
from penguin_core.live import watch
from penguin_core.preparation import prepared
from penguin_core.server import trainer
from penguin_core.text import markdown_literal

PACES = {"As fast as possible": None, "Slow motion (about 5 s)": 5.0, "Slow motion (about 15 s)": 15.0}
lab = the_lab(st.session_state)
projector = lab.state.projector


def watch_the_training(job, name) -> None:
    """Draw the run in the curves' place while it waits or trains (it goes on if the learner leaves)."""
    frames = itertools.count()

    def draw(job) -> None:
        if job.state == "waiting":
            progress_slot.info(f"{name} is waiting for a free trainer: number {trainer().place(job)} in line. "
                               "The server trains a few runs at a time, in the order they were asked for.")
            return
        done, total = job.visible(), job.spec.epochs
        progress_slot.progress(done / total, text=f"Training {name}: epoch {done}/{total}")
        with chart_slot:
            chart(training_curves([(name, job.history())], total), projector, key=f"train_live_{next(frames)}")

    watch(job, draw)
    if lab.collect() is not None or job.kept is not None:  # kept here, or by the queue just now
        progress_slot.empty()  # the results below are drawn in this same run (the sidebar's after the page)
    elif job.state == "failed":
        st.error("This training failed on the server (its log has the details). Your settings and earlier runs "
                 "are unchanged: try again.")


def results(run) -> None:
    """The current model: its curves, test accuracy, confusion matrix, scores and mistakes."""
    evaluation = evaluate_run(run, prepared(run.data_spec))
    if run.history:
        with chart_slot:
            chart(training_curves([(run.name, run.history)], run.model_spec.epochs), projector, key="train_curves")
    with outcome:
        st.metric(f"Test accuracy of {run.name}", f"{evaluation.accuracy:.1%}",
                  help=f"Test loss {evaluation.loss:.3g} · {run.epochs_done}/{run.model_spec.epochs} epochs")
        st.markdown("**Confusion matrix** on the test set")
        chart(confusion_heatmap(evaluation.confusion, height=280), projector, key="train_confusion")
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
    metrics[3].metric("Compute time", f"{run.seconds:.2f} s",
                      help="Time spent computing epochs, without drawing or slow motion.")
    st.caption(f"Weights fingerprint **{run.network.fingerprint()}**: the same settings and seed give the same "
               "fingerprint on this server, alone or with a whole class training at once, and on any computer "
               f"that computes with the same arithmetic kernels (here {kernels()}). Kernels made for another "
               "processor round the last digits differently: there the fingerprint differs, even when the "
               "accuracy is the same.")
    scores, mistakes = st.columns([2, 3])
    with scores:
        st.markdown("**Per species** (rows: true species)")
        two_places = st.column_config.NumberColumn(format="%.2f")
        st.dataframe(evaluation.per_class, column_config={"precision": two_places, "recall": two_places,
                                                          "f1": two_places})
    with mistakes:
        st.markdown(f"**Misclassified test penguins** ({len(evaluation.misclassified)}; row numbers as in the lesson)")
        st.dataframe(evaluation.misclassified, height=220)


def history() -> None:
    """The run history: a table, the curves of two runs or more, and Clear."""
    runs = lab.state.history
    st.header(f"Run history ({len(runs)} run{'s' if len(runs) != 1 else ''}): tune and compare")
    st.page_link(workflow.page("compare").file, label="Compare runs side by side: settings that differ, scores, "
                 "confusion matrices; rename, delete, download", icon=":material/compare_arrows:")
    if not runs:
        st.caption("No runs in this lab's history.")
        return
    st.dataframe(pd.DataFrame([r.summary() for r in runs]).set_index("run"), key="train_history",
                 column_config={"test accuracy": st.column_config.NumberColumn(format="percent"),
                                "train accuracy": st.column_config.NumberColumn(format="percent"),
                                "val accuracy": st.column_config.NumberColumn(format="percent")})
    names = [r.name for r in runs]
    chosen = st.multiselect("Compare the curves of", names, default=names[-2:],
                            key=f"train_compare_{len(names)}")  # a new run resets the choice to the latest two
    if len(runs) > 1 and chosen:
        chart(training_curves([(r.name, r.history) for r in runs if r.name in chosen]), projector,
              key="train_compare_curves")
    st.button("Clear history", on_click=lab.clear_history, help="The current model stays usable.",
              key="train_clear")


st.title("Train, evaluate, tune")
controls, curves, outcome = st.columns([1.1, 2.4, 1.5], gap="medium")
with controls:
    train_column, stop_column = st.columns(2)
    clicked = train_column.button("Train", type="primary", key="train_button", width="stretch")
    stop = stop_column.button("Stop", key="train_stop", width="stretch",
                              help="Stops after the current epoch and keeps the model so far.")
    for field in ("standardize", "hidden", "epochs", "learning_rate"):
        control(lab, field, "train_")
    pace = st.selectbox("Speed", list(PACES), key="train_pace")
    st.caption("Every other setting is on the Prepare and Architecture pages.")
data, spec = lab.data(), lab.state.model_spec
with curves:
    layers = " → ".join(f"Dense({h.units}, {h.activation})" for h in spec.hidden)
    st.caption(f"Input({len(data.features)}) → {layers + ' → ' if layers else ''}Dense({len(data.species)}, softmax) · "
               f"{spec.optimizer}, learning rate {spec.learning_rate:g} · batch {spec.batch_size} · seed {spec.seed} · "
               f"{'standardized' if data.scaling is not None else 'raw, unscaled'} inputs · "
               f"{len(data.X_train)} training penguins")
    progress_slot, chart_slot = st.empty(), st.empty()

if stop:
    lab.stop_training()  # the run so far becomes the current model
if clicked:
    try:
        seconds = PACES[pace]
        lab.train(pace=seconds / spec.epochs if seconds else None)
    except PenguinError as error:
        with controls:
            st.error(markdown_literal(str(error)))
if (active := lab.training()) is not None:  # queued or training: watch it here
    watch_the_training(*active)

if lab.state.run is not None:
    results(lab.state.run)
elif data.scaling is None:
    with curves:
        st.info("The lesson feeds raw measurements to the network: body mass in grams (about 4000) next to "
                "bill depth in millimetres (about 17). The first loss is in the hundreds or thousands and "
                "training often ends poorly. Train once like this, then switch standardization on and compare.")
history()
