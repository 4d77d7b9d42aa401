"""Steps 6, 8, 9: train while watching the curves, measure performance, compare runs to tune.

What Train and Stop change sits in one fragment: a click reruns that part alone.
"""

import itertools
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from pages.ui.controls import control
from pages.ui.display import chart, fragment
from pages.ui.sidebar import tell_if_changed
from penguin_core import workflow
from penguin_core.engine.kernels import kernels
from penguin_core.errors import PenguinError
from penguin_core.evaluation import evaluation_of
from penguin_core.experiments.odds import lesson_odds
from penguin_core.figures import confusion_heatmap, training_curves
from penguin_core.lab import the_lab
from penguin_core.live import watch
from penguin_core.server import trainer
from penguin_core.text import markdown_literal

PACES = {"As fast as possible": None, "Slow motion (about 5 s)": 5.0, "Slow motion (about 15 s)": 15.0}
AREA = "train_area"  # the fragment Train and Stop rerun
POOR = 0.9  # a test accuracy below this, on raw inputs, gets the word on standardization
lab = the_lab(st.session_state)
projector = lab.state.projector


@dataclass
class Places:
    """Where the training's progress, the curves, a word on the run (under them) and the outcome are drawn."""

    progress: object
    curves: object
    outcome: object
    word: object


def watch_the_training(places: Places, job, name) -> None:
    """Draw the run in the curves' place while it waits or trains (it goes on if the learner leaves)."""
    frames = itertools.count()

    def draw(job) -> None:
        if job.state == "waiting":
            places.progress.info(f"{name} is waiting for a free trainer: number {trainer().place(job)} in line. "
                                 "The server trains a few runs at a time, in the order they were asked for.")
            return
        done, total = job.visible(), job.spec.epochs
        places.progress.progress(done / total, text=f"Training {name}: epoch {done}/{total}")
        with places.curves:
            chart(training_curves([(name, job.history())], total), projector, key=f"train_live_{next(frames)}")

    watch(job, draw)
    if lab.collect() is not None or job.kept is not None:  # kept here, or by the queue just now
        places.progress.empty()  # the results below are drawn in this same run
    elif job.state == "failed":
        st.error("This training failed on the server (its log has the details). Your settings and earlier runs "
                 "are unchanged: try again.")


def raw_inputs_word(evaluation) -> None:
    """After a poor run on raw inputs (the lesson's pitfall): why, where the switch is, and how often the
    lesson's own run fails like this."""
    raw, scaled = lesson_odds(False), lesson_odds(True)
    never = f"It never predicts {', '.join(evaluation.never_predicted)}. " if evaluation.never_predicted else ""
    st.warning(f"{never}Why so poor? The inputs are raw: body mass in grams (about 4000) next to bill depth in "
               "millimetres (about 17), so body mass swamps every weighted sum and training stalls. Switch "
               "**Standardize** on (the first setting on the left) and train again. With the lesson's settings, "
               f"{raw.failed} of {raw.seeds} seeds trained on raw inputs never predict a species (test accuracy "
               f"{raw.lowest:.0%} to {raw.highest:.0%}); standardized, {scaled.failed} of {scaled.seeds} "
               f"({scaled.lowest:.0%} to {scaled.highest:.0%}).", icon=":material/straighten:")


def results(places: Places, run) -> None:
    """The current model: its curves, test accuracy, confusion matrix, scores and mistakes."""
    evaluation = evaluation_of(run)
    if run.history:
        with places.curves:
            chart(training_curves([(run.name, run.history)], run.model_spec.epochs), projector, key="train_curves")
    with places.outcome:
        st.metric(f"Test accuracy of {markdown_literal(run.name)}", f"{evaluation.accuracy:.1%}",
                  help=f"Test loss {evaluation.loss:.3g} · {run.epochs_done}/{run.model_spec.epochs} epochs")
        st.markdown("**Confusion matrix** on the test set")
        chart(confusion_heatmap(evaluation.confusion, height=280), projector, key="train_confusion")
    with places.word:
        if not run.data_spec.standardize and (evaluation.never_predicted or evaluation.accuracy < POOR):
            raw_inputs_word(evaluation)
        elif evaluation.never_predicted:
            st.warning(f"It never predicts {', '.join(evaluation.never_predicted)}.")
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


def start_training() -> None:
    """Train's click, outside the fragment (so it cuts short a training being watched there), then only the
    fragment reruns."""
    try:
        seconds = PACES[st.session_state.get("train_pace", "As fast as possible")]
        lab.train(pace=seconds / lab.state.model_spec.epochs if seconds else None)
    except PenguinError as error:
        st.session_state["train_refused"] = str(error)
    st.rerun(AREA)


def stop_training() -> None:
    """Stop's click: the run so far becomes the current model; then only the fragment reruns."""
    lab.stop_training()
    st.rerun(AREA)


@fragment(key=AREA)
def train_and_look() -> None:
    """The training watched, and what came out: Train and Stop rerun this part alone, not the app and the page
    (their buttons sit outside it, so that a click cuts short the watching of a training)."""
    data, spec = lab.data(), lab.state.model_spec
    curves, outcome = st.columns([2.2, 1.7], gap="medium")
    with curves:
        layers = " → ".join(f"Dense({h.units}, {h.activation})" for h in spec.hidden)
        st.caption(f"Input({len(data.features)}) → {layers + ' → ' if layers else ''}Dense({len(data.species)}, "
                   f"softmax) · {spec.optimizer}, learning rate {spec.learning_rate:g} · batch {spec.batch_size} · "
                   f"seed {spec.seed} · {'standardized' if data.scaling is not None else 'raw, unscaled'} inputs · "
                   f"{len(data.X_train)} training penguins")
        places = Places(st.empty(), st.empty(), outcome, st.container())
    if refused := st.session_state.pop("train_refused", None):
        places.progress.error(markdown_literal(refused))
    if (active := lab.training()) is not None:  # queued or training: watch it here
        watch_the_training(places, *active)
    if lab.state.run is not None:
        results(places, lab.state.run)
    elif data.scaling is None:
        with curves:
            st.info("The lesson feeds raw measurements to the network: body mass in grams (about 4000) next to "
                    "bill depth in millimetres (about 17). The first loss is in the hundreds or thousands and "
                    "training often ends poorly. Train once like this, then switch standardization on and compare.")
    history()
    tell_if_changed(lab)


st.title("Train, evaluate, tune")
settings, work = st.columns([1.3, 3.6], gap="medium")
with settings:
    for field in ("standardize", "hidden", "epochs", "learning_rate"):
        control(lab, field, "train_")
    st.caption("Every other setting is on the Prepare and Architecture pages.")
    st.page_link(workflow.page("compare").file, label="Compare runs", icon=":material/compare_arrows:",
                 help="Side by side: the settings that differ, scores, confusion matrices; rename, delete, download.")
with work:
    buttons = st.columns([1, 1, 2.2], vertical_alignment="bottom")
    buttons[0].button("Train", type="primary", key="train_button", width="stretch", on_click=start_training)
    buttons[1].button("Stop", key="train_stop", width="stretch", on_click=stop_training,
                      help="Stops after the current epoch and keeps the model so far.")
    buttons[2].selectbox("Speed", list(PACES), key="train_pace", on_change=st.rerun, args=(AREA,))
    train_and_look()
