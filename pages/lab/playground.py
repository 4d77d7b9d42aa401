"""The Playground: watch the network learn from the inside, with the settings beside the views.

The views live in the browser (pages/ui/components/playground.js): Play, Pause, Step, Reset, the replay
slider, the plane's axes and a click on a penguin answer there at once; the server trains when the browser
needs epochs it has not been given. Below, what each measurement contributes, for the epoch shown.
"""

import streamlit as st

from pages.ui.components.playground import playground_view
from pages.ui.controls import control
from pages.ui.display import chart, fragment
from pages.ui.sidebar import tell_if_changed
from penguin_core.analysis_worker import permutation_importances
from penguin_core.errors import PenguinError
from penguin_core.lab import the_lab
from penguin_core.text import markdown_literal
from penguin_core.views.contributions import (background_sample, importance_figure, shapley_figure,
                                              shapley_values)
from penguin_core.views.regions import held_defaults

lab = the_lab(st.session_state)
state, playground = lab.state, lab.playground
data = lab.data()
st.html("<style>[data-testid='stMainBlockContainer'] {padding-top: 1.2rem !important;} "
        "h1 {font-size: 2rem !important; padding: 0 !important;}</style>")


def predict_penguin():
    """The Predict page's penguin as the network's raw inputs (held values for what it did not set)."""
    if not state.penguin:
        return None
    held = held_defaults(data.training_frame, data.features)
    return [state.penguin.get(f, held.get(f, 0.0)) for f in data.features]


def chosen_penguin():
    """The penguin followed: (its raw inputs, a label); the first test penguin until one is clicked."""
    if playground.chosen == "predict" and state.penguin:
        return predict_penguin(), "the Predict page's penguin"
    if playground.chosen not in data.frame.index:
        playground.chosen = int(data.X_test.index[0])
    return data.frame.loc[playground.chosen, list(data.features)].to_numpy(float), f"penguin {playground.chosen}"


def contributions(network) -> None:
    """Permutation importance (on a click) and the chosen penguin's Shapley values, for the network shown."""
    st.header("What each measurement contributes")
    st.caption(f"For the network at epoch {playground.shown}, the epoch the views stopped at: Play, Step and "
               "the slider bring this part up to date when they stop.")
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
        shapley = shapley_values(network, x_raw, background_sample(data.arrays("train")[0]))
        st.markdown(f"**Shapley values** for {who} (click another penguin on the plane above): each "
                    "measurement's push on each species' probability, against 50 training penguins.")
        chart(shapley_figure(shapley), state.projector, key="play_shapley")
        st.markdown(shapley.sentence())


@fragment
def views() -> None:
    """The browser's views, and below them the contributions; a trigger from the views reruns only this."""
    if playground.training is None:
        st.warning(markdown_literal(f"{playground.problem} Change it here or on the Architecture page."))
        return
    playground_view(lab, data, predict_penguin() if playground.chosen == "predict" else None,
                    auto=st.session_state.get("play_auto", False))
    if playground.refused:
        st.error(markdown_literal(f"{playground.refused} The views show what was trained so far."))
    contributions(playground.network_at(playground.shown))
    tell_if_changed(lab)  # a run played out joined the history: the sidebar says so


controls, view = st.columns([1.05, 3.1], gap="medium")
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
    st.toggle("Auto-train", key="play_auto", help="Play at once after any change of setting.")
    if st.button("Follow the Predict page's penguin", key="play_predict_penguin", disabled=not state.penguin):
        playground.chosen = "predict"
playground.sync()  # a setting changed, here or on another page: the network starts afresh
with view:
    views()
