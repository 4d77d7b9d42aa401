"""A learner's class, on every page: the setup the instructor pushed (Apply, or put it aside), and a watch
that brings a new one within seconds without a click."""

from __future__ import annotations

import streamlit as st

from pages.ui.display import fragment
from penguin_core.lab import the_lab
from penguin_core.text import markdown_literal

WATCH_SECONDS = 5.0


def pushed_setup(lab) -> None:
    """The setup the learner's instructor pushed last, with Apply, until applied or put aside."""
    pushed = lab.classwork.pushed()
    if pushed is None:
        return
    box = st.container(border=True)
    box.markdown(f"**Your instructor shared a setup:** {markdown_literal(pushed.label)}")
    apply, later = box.columns([1, 4])
    if apply.button("Apply", type="primary", key=f"pushed_apply_{pushed.number}"):
        lab.classwork.apply(pushed)
        st.rerun()
    if later.button("Not now", key=f"pushed_skip_{pushed.number}"):
        lab.classwork.put_aside(pushed)
        st.rerun()


@fragment(run_every=WATCH_SECONDS)
def watch_the_class() -> None:
    """A learner in a class: a setup the instructor pushes shows within seconds, without a click."""
    if the_lab(st.session_state).classwork.news():
        st.rerun(scope="app")
