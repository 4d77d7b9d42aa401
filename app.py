"""Penguin Lab: page config, the navigation in the lesson's order, and where the learner is."""

import logging

import streamlit as st

from penguin_core import keras_worker
from penguin_core.session import lab_state
from penguin_core.text import markdown_literal
from penguin_core.workflow import PAGES

st.set_page_config(page_title="Penguin Lab", page_icon=":material/online_prediction:", layout="wide")
keras_worker.start()  # Keras loads in its own process: no page waits for it unless it needs it

DONE, TODO = ":material/check_circle:", ":material/radio_button_unchecked:"
sections: dict[str, list] = {}
for entry in PAGES:
    sections.setdefault(entry.section, []).append(
        st.Page(entry.file, title=entry.title, icon=entry.icon, default=entry is PAGES[0]))

page = st.navigation(sections)
state = lab_state(st.session_state)
state.visited.add(page.url_path)  # the progress below counts the pages opened
with st.sidebar:
    st.caption("Your progress")
    for step, done in state.steps_done().items():
        st.markdown(f"{DONE if done else TODO} {step}")
    if state.active is not None:
        job, name = state.active
        st.caption(f"{name} is training: epoch {job.visible()}/{job.spec.epochs}" if job.state != "waiting"
                   else f"{name} is waiting for a free trainer")
    if state.run is not None:
        st.caption(f"Current model: {markdown_literal(state.run.name)}, "
                   f"test accuracy {state.run.test_metrics['accuracy']:.1%}")
try:
    page.run()
except Exception:  # a bug: the learner gets a sentence, the log gets the traceback
    logging.getLogger("penguin_lab").exception("page %s failed", page.url_path)
    st.error("Something went wrong on this page. Your model, runs and settings are safe: open another page "
             "or reload this one. (The server's log has the details.)")
