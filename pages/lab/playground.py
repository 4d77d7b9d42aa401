"""The Playground: watch the network learn from the inside, live, with the settings beside the views.

Play, Pause, Step (one epoch) and Reset; the decision regions, the network with its weights and the
curves move together; after a run, an epoch slider replays it.
"""

import streamlit as st

from pages.ui.controls import control
from pages.ui.display import chart
from penguin_core.analysis_worker import permutation_importances
from penguin_core.data import FEATURES, feature_label
from penguin_core.errors import PenguinError
from penguin_core.evaluation import evaluate
from penguin_core.figures import confusion_heatmap, training_curves
from penguin_core.lab import the_lab
from penguin_core.lab.playground import FRAME_SECONDS
from penguin_core.text import markdown_literal
from penguin_core.views.contributions import (background_sample, importance_figure, shapley_figure,
                                              shapley_values)
from penguin_core.views.drawing import draw_network, network_figure
from penguin_core.views.regions import decision_regions, describe, held_defaults, regions_figure, split_penguins

lab = the_lab(st.session_state)
state, playground = lab.state, lab.playground
playground.sync()  # a setting changed on another page: the network starts afresh
data = lab.data()
training_frame = data.training_frame
measurements = [f for f in data.features if f in FEATURES]
st.html("<style>[data-testid='stMainBlockContainer'] {padding-top: 1.2rem !important;} "
        "h1 {font-size: 2rem !important; padding: 0 !important;}</style>")


def chosen_penguin():
    """The penguin followed through the network: (its raw inputs, a label), or (None, None)."""
    if playground.chosen == "predict" and state.penguin:
        held = held_defaults(training_frame, data.features)
        return [state.penguin.get(f, held.get(f, 0.0)) for f in data.features], "the Predict page's penguin"
    if playground.chosen in data.frame.index:
        return data.frame.loc[playground.chosen, list(data.features)].to_numpy(float), f"penguin {playground.chosen}"
    return None, None


controls, views = st.columns([1.05, 3.1], gap="medium")
with controls:
    st.title("Playground")
    for field in ("features", "standardize", "hidden"):
        control(lab, field, "play_")
    left, right = st.columns(2)
    with left:
        control(lab, "learning_rate", "play_")
        control(lab, "epochs", "play_")
    with right:
        control(lab, "batch_size", "play_")
        control(lab, "seed", "play_")
    playground.auto_train = st.toggle("Auto-train", value=playground.auto_train, key="play_auto",
                                      help="Train again at once after any change of setting.")
    with st.expander("Plane: axes and held values"):
        if len(measurements) >= 2:
            playground.x_feature = st.selectbox("Horizontal", measurements, format_func=feature_label,
                                                index=measurements.index(playground.x_feature)
                                                if playground.x_feature in measurements else 0, key="play_x")
            others = [f for f in measurements if f != playground.x_feature]
            playground.y_feature = st.selectbox("Vertical", others, format_func=feature_label,
                                                index=others.index(playground.y_feature)
                                                if playground.y_feature in others else 0, key="play_y")
            held = held_defaults(training_frame, data.features)
            for feature in measurements:
                if feature not in (playground.x_feature, playground.y_feature):
                    column = training_frame[feature]
                    playground.held[feature] = st.slider(
                        f"{feature_label(feature)}, held at", float(column.min()), float(column.max()),
                        float(playground.held.get(feature, held[feature])), key=f"play_held_{feature}")
        if st.button("Follow the Predict page's penguin", key="play_predict_penguin", disabled=not state.penguin):
            playground.chosen = "predict"
playground.sync()  # a control above has just changed a setting
training = playground.training

def draw() -> None:
    """One frame: every view from the same network (the latest, or the replayed epoch's)."""
    replay_key = f"play_replay_{playground.epoch}"  # a new slider (at the latest epoch) whenever training moves on
    if not playground.playing and replay_key in st.session_state:  # the slider below, as last moved
        moved = st.session_state[replay_key]
        playground.replay = None if moved >= playground.epoch else moved
    network = playground.network()
    epoch = playground.replay if playground.replay is not None else playground.epoch
    history = training.history[:epoch]
    last = history[-1] if history else None
    st.markdown(f"**epoch {epoch}/{training.spec.epochs}**" + (
        f" · training loss {last['loss']:.3g} · training accuracy {last['accuracy']:.0%}" if last
        else " · not trained yet"))
    if playground.kept:
        st.caption(f"Played to its last epoch: {markdown_literal(playground.kept)} joined your run history.")
    x_raw, who = chosen_penguin()
    regions_column, network_column = st.columns(2)
    with regions_column:
        if len(measurements) >= 2:
            regions = decision_regions(network, training_frame, playground.x_feature, playground.y_feature,
                                       playground.held)
            star = None if x_raw is None else tuple(float(x_raw[list(data.features).index(f)])
                                                    for f in (playground.x_feature, playground.y_feature))
            event = chart(regions_figure(regions, split_penguins(data, network), star, height=290),
                          state.projector, key="play_regions", on_select="rerun", selection_mode="points")
            clicked = event.selection.points[0].get("customdata") if event.selection.points else None
            if clicked is not None and clicked != playground.chosen:  # a click on a penguin chooses it
                playground.chosen = clicked
                st.rerun(scope="app")  # its Shapley values below too
        else:
            st.info("Choose at least two measurements to see the decision regions.")
    drawing = draw_network(network, x_raw)
    with network_column:
        chart(network_figure(drawing, height=290), state.projector, key="play_network")
    curves_column, matrix_column = st.columns([2.2, 1])
    with curves_column:
        chart(training_curves([("playground", training.history)], training.spec.epochs,
                              marker=epoch if playground.replay is not None else None, height=230, legend=False),
              state.projector, key="play_curves")
    evaluation = evaluate(network, data.X_test, data.y_test)
    with matrix_column:
        chart(confusion_heatmap(evaluation.confusion, height=230, title=f"test accuracy {evaluation.accuracy:.1%}"),
              state.projector, key="play_matrix")
    if playground.epoch and not playground.playing:
        epochs = sorted(training.snapshots.kept)
        if playground.epoch not in epochs:
            epochs.append(playground.epoch)
        kept_every = (f" (weights kept every {training.snapshots.step} epochs)"
                      if len(epochs) < playground.epoch + 1 else "")
        st.select_slider(f"Replay: the network at epoch{kept_every}", epochs, key=replay_key,
                         value=playground.replay if playground.replay in epochs else playground.epoch)
    notes = st.columns(2)
    if len(measurements) >= 2:
        notes[0].caption(describe(regions, network) + " Dots: training penguins, diamonds: test penguins, "
                         "ringed: predicted wrongly.")
    notes[1].caption(f"{drawing.note} Blue weights are positive, red negative; wider is larger."
                     + (f" Numbers: {who}'s values at each node." if who else " Click a penguin to follow it."))


def buttons() -> None:
    """Play, Pause, Reset rerun the whole page (Play starts the frame clock); Step only the views."""
    row = st.columns([1, 1, 1, 1, 0.6], vertical_alignment="center")
    running = playground.playing and not playground.done
    if row[0].button("Play", key="play_play", icon=":material/play_arrow:", width="stretch", type="primary",
                     disabled=running or playground.done):
        playground.play()
        st.rerun(scope="app")
    if row[1].button("Pause", key="play_pause", icon=":material/pause:", width="stretch", disabled=not running):
        playground.pause()
        st.rerun(scope="app")
    step = row[2].button("Step", key="play_step", icon=":material/skip_next:", width="stretch",
                         disabled=playground.done, help="Train exactly one epoch.")
    if row[3].button("Reset", key="play_reset", icon=":material/restart_alt:", width="stretch",
                     help="Start again from the initial weights the seed gives."):
        playground.reset()
        st.rerun(scope="app")
    if step:
        train_for(1)


def train_for(epochs: int) -> None:
    """Train ``epochs`` more (Step shows the newest epoch again); a refusal is said, and Play stops."""
    try:
        playground.advance(epochs)
    except PenguinError as error:
        playground.pause()
        st.error(markdown_literal(str(error)))


@st.fragment(run_every=FRAME_SECONDS if playground.playing and not playground.done else None)
def views_now() -> None:
    """The buttons and the views; while playing, or after a Step, this part alone reruns."""
    buttons()
    if playground.playing and not playground.done:
        train_for(playground.frame_epochs())
    draw()
    if playground.done and playground.playing:  # trained to the end: the whole page again, as after a run
        playground.pause()
        st.rerun(scope="app")


with views:
    if training is None:
        st.warning(markdown_literal(f"{playground.problem} Change it here or on the Architecture page."))
    else:
        views_now()

def contributions(network) -> None:
    """Permutation importance (on a click) and the chosen penguin's Shapley values, for the network shown."""
    st.header("What each measurement contributes")
    st.caption(f"For the network at epoch {playground.replay if playground.replay is not None else playground.epoch}. "
               "Step and the replay slider move only the views above; a click on a penguin, Play or Reset brings "
               "this part up to date.")
    importance_column, shapley_column = st.columns(2)
    with importance_column:
        st.markdown("**Permutation importance** on the test set: how much accuracy drops when one measurement's "
                    "values are shuffled among the test penguins.")
        fingerprint = network.fingerprint()
        if st.button("Compute it (10 shuffles each)", key="play_importance"):
            try:
                with st.spinner("Shuffling each measurement ten times (scikit-learn's permutation_importance)…"):
                    playground.importance = (fingerprint, permutation_importances(network, *data.arrays("test")))
            except PenguinError as error:
                st.error(markdown_literal(str(error)))
        if playground.importance and playground.importance[0] == fingerprint:
            chart(importance_figure(playground.importance[1]), state.projector, key="play_importance_chart")
        st.caption("Correlated measurements share their importance: flipper length and body mass go together, so "
                   "shuffling one leaves the other to carry much of the same information, and each looks less "
                   "important than the pair is.")
    with shapley_column:
        x_raw, who = chosen_penguin()
        if x_raw is None:
            playground.chosen = data.X_test.index[0]
            x_raw, who = chosen_penguin()
        shapley = shapley_values(network, x_raw, background_sample(data.arrays("train")[0]))
        st.markdown(f"**Shapley values** for {who} (click another penguin on the plane above): each "
                    "measurement's push on each species' probability, against 50 training penguins.")
        chart(shapley_figure(shapley), state.projector, key="play_shapley")
        st.markdown(shapley.sentence())


if training is not None:
    contributions(playground.network())
