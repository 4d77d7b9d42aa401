"""The sidebar's status kept current without a run of the whole app: a fragment that changed what the
sidebar shows tells the sidebar's own fragment, which reruns alone (see signal.js)."""

from __future__ import annotations

import itertools

import streamlit as st

from pages.ui.components import component

_mount = component("signal", forward=False)
_numbers = itertools.count(1)


def listen(key: str) -> None:
    """Inside a fragment: rerun it when told."""
    _mount(key=key, data={"role": "listen"}, on_changed_change=lambda: None, height=0)


def tell(key: str) -> None:
    """The sidebar's status changed: have it redrawn."""
    _mount(key=key, data={"role": "tell", "number": next(_numbers)}, height=0)
