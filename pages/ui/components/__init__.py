"""The lab's views that live in the browser (Streamlit custom components v2, no iframe): their HTML, CSS and
JavaScript are files of this folder, read once when the server starts; nothing is fetched from elsewhere and
nothing needs building. Each component's module starts with ``forward.js``, the engine's forward pass in
float64, so the browser answers a slider or a Play frame without asking the server."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent


def _asset(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def component(name: str, forward: bool = True):
    """Register ``name``.js (after forward.js, unless ``forward`` is False) and ``name``.css as the component
    ``penguin_lab_<name>``."""
    css = HERE / f"{name}.css"
    js = (_asset("forward.js") + "\n" if forward else "") + _asset(f"{name}.js")
    return st.components.v2.component(f"penguin_lab_{name}", js=js,
                                      css=css.read_text(encoding="utf-8") if css.exists() else None)
