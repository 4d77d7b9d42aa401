"""Penguin Lab: page config, the navigation in the lesson's order, and where the learner is."""

import streamlit as st

from penguin_core import keras_worker
from penguin_core.session import lab_state

st.set_page_config(page_title="Penguin Lab", page_icon=":material/online_prediction:", layout="wide")
keras_worker.start()  # Keras loads in its own process: no page waits for it unless it needs it

DONE, TODO = ":material/check_circle:", ":material/radio_button_unchecked:"
PAGES = {
    "Start": [st.Page("pages/start.py", title="Start", icon=":material/home:", default=True)],
    "Warm-up": [st.Page("pages/neuron.py", title="A neuron", icon=":material/psychology:")],
    "The workflow": [
        st.Page("pages/explore.py", title="1–2 · Explore the data", icon=":material/search:"),
        st.Page("pages/prepare.py", title="3 · Prepare", icon=":material/cleaning_services:"),
        st.Page("pages/architecture.py", title="4–5 · Architecture", icon=":material/account_tree:"),
        st.Page("pages/train.py", title="6, 8, 9 · Train & evaluate", icon=":material/model_training:"),
        st.Page("pages/predict.py", title="7 · Predict", icon=":material/online_prediction:"),
        st.Page("pages/share.py", title="10 · Share", icon=":material/share:"),
    ],
    "Setup": [st.Page("pages/environment.py", title="Environment", icon=":material/build:")],
}

page = st.navigation(PAGES)
state = lab_state(st.session_state)
state.visited.add(page.url_path)  # the progress below counts the pages opened
with st.sidebar:
    st.caption("Your progress")
    for step, done in state.steps_done().items():
        st.markdown(f"{DONE if done else TODO} {step}")
    if state.run is not None:
        accuracy = state.run.test_metrics.get("accuracy")
        st.caption(f"Current model: {state.run.name or 'uploaded'}"
                   + (f", test accuracy {accuracy:.1%}" if accuracy is not None else ""))
page.run()
