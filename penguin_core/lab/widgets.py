"""Widget values and the lab: a page's widgets start from the LabState (their ``value``) whenever they are
drawn again; forgetting a widget's value makes it start from the LabState at the next draw.

This takes Streamlit's ``st.session_state`` as a plain mapping.
"""

from __future__ import annotations

from collections.abc import MutableMapping


def forget_widgets(session_state: MutableMapping, prefix: str) -> None:
    """Drop widget values starting with ``prefix``, so the next draw takes them from the LabState."""
    for key in [k for k in session_state.keys() if str(k).startswith(prefix)]:
        del session_state[key]
