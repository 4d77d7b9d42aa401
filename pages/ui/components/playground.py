"""The Playground in the browser: the component, its data, and what it asks of the server."""

from __future__ import annotations

import streamlit as st

from pages.ui.components import component
from penguin_core.errors import PenguinError
from penguin_core.views import browser

_mount = component("playground")


def playground_view(lab, data, predict_inputs=None, auto: bool = False):
    """Mount the browser's Playground on the lab's Playground (its training must exist). The browser's asks
    arrive as triggers, handled before this run draws: ``train`` (epochs it lacks), ``resend`` (it lost what
    it had), ``ended`` (played to the last epoch), ``chosen`` (a penguin clicked), ``shown`` (the epoch it
    stopped at)."""
    playground = lab.playground
    asked = st.session_state.get("play_view")
    resend = bool(asked is not None and getattr(asked, "resend", None))
    network = playground.training.network
    return _mount(
        key="play_view",
        data={"layout": browser.layout(network), "training": playground.browser_data(resend=resend),
              "penguins": browser.penguins(data), "plane": browser.plane(data),
              "chosen": playground.chosen if playground.chosen is not None else None,
              "predict": None if predict_inputs is None else [float(v) for v in predict_inputs],
              "auto": bool(auto), "projector": bool(lab.state.projector)},
        on_train_change=lambda: _train(playground), on_resend_change=_nothing,
        on_ended_change=playground.played_out, on_chosen_change=lambda: _chosen(playground, data),
        on_shown_change=lambda: _shown(playground), height="content")


def _nothing() -> None:
    """A trigger handled where the data is made (``resend``)."""


def _train(playground) -> None:
    try:
        playground.train()
    except PenguinError:
        pass  # kept in playground.refused: the page says it, and the browser stops asking


def _chosen(playground, data) -> None:
    """A clicked penguin: a row of the data (anything else from the browser is ignored)."""
    value = getattr(st.session_state.get("play_view"), "chosen", None)
    if value == "predict" or (isinstance(value, int) and not isinstance(value, bool) and value in data.frame.index):
        playground.chosen = value


def _shown(playground) -> None:
    value = getattr(st.session_state.get("play_view"), "shown", None)
    if isinstance(value, int) and not isinstance(value, bool):
        playground.shown = min(max(0, value), playground.epoch)
