"""The app's pages, one file each, drawn inside app.py's navigation (the list is penguin_core/workflow.py),
and the few pieces of drawing they share.

Every page calls ``inside_the_app()`` first. When a ``pages/`` folder exists,
Streamlit serves a fresh server's very first request in its old multipage
mode: a deep link (a bookmark to /train) would run the page file alone,
under Streamlit's automatic navigation of file names. The call notices that
app.py is not around the page, runs app.py in its place (which sets up the
app's navigation and draws this page inside it, with the same widget
events, so a click is never lost) and ends the bare run.
"""

import runpy
from pathlib import Path

import streamlit as st

APP = Path(__file__).resolve().parent.parent / "app.py"


def inside_the_app() -> None:
    """Return when app.py is drawing this page; otherwise run app.py in its place and stop."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:  # st.navigation has not run in this process: no app.py around us
        runpy.run_path(str(APP), run_name="__main__")
        st.stop()


class PageDone(Exception):
    """Ends a page early. Not ``st.stop()``: that would also stop app.py's work after the page (saving the
    lab, writing its address)."""


def end_page() -> None:
    raise PageDone


def exercise(state, question, label: str | None = None):
    """An exercise's answer box, starting from what the learner last typed, with its feedback below it."""
    typed = st.text_input(label or question.question, state.answers.get(question.id, ""), key=f"exercise_{question.id}")
    feedback = state.check(question, typed)
    if feedback:
        (st.success if feedback.correct else st.error)(feedback.message)
    return feedback
