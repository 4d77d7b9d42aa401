"""A learner's lab: its state, kept in the store by a key in the learner's link, its settings in the link.

    state = open_lab(st.session_state, st.query_params.to_dict(), store)   # app.py, every script run
    state = lab_state(st.session_state)                                      # a page
    view = lab_tailoring(st.session_state)                                   # what the link hides and fixes
    st.query_params.from_dict(link_params(state, view))                       # the address, after the page

A reload, a new tab with the same link or a server restart opens the same
lab. A link with an unknown key opens a fresh lab and says so; a link's
settings that cannot be used are named and the lesson's taken instead.

A tailored link (``hide=``, ``fix=``, ``hide_pages=``; see ``link``) shapes
this session's view of the lab, not the lab: it is read on the session's
first run, kept beside the lab under ``TAILORING_KEY`` and written back into
the learner's own address with the settings, so it survives navigation and
reloads; the lab opened with another address is not tailored. While it lasts,
every ``lab_state`` call puts hidden and fixed settings back to the link's
values, whatever changed them ("Reset to the lesson" included).
"""

from __future__ import annotations

import logging
import time
from collections.abc import MutableMapping
from urllib.parse import urlencode

from penguin_core.lab import link
from penguin_core.lab.state import MAX_HISTORY, LabState, new_key
from penguin_core.lab.classwork import class_poster
from penguin_core.lab.store import IDLE_DAYS, LabStore
from penguin_core.lab.trainer import trainer
from penguin_core.lab.widgets import forget_widgets

__all__ = ["CLASS_LINK_KEY", "IDLE_DAYS", "MAX_HISTORY", "LabState", "LabStore", "STATE_KEY", "TAILORING_KEY",
           "Tailoring", "apply_setup", "class_link", "class_poster", "forget_widgets", "lab_state", "lab_tailoring", "link_params",
           "new_key", "open_lab", "setup_link", "setup_params", "tailored_params", "trainer"]

Tailoring = link.Tailoring
STATE_KEY = "penguin_lab"
TAILORING_KEY = "penguin_lab_tailoring"
CLASS_LINK_KEY = "penguin_lab_class_link"
NOT_TAILORED = link.Tailoring()
EXPIRE_EVERY = 3600.0
log = logging.getLogger(__name__)
_last_expired: dict[int, float] = {}


def open_lab(session_state: MutableMapping, params: dict[str, str], store: LabStore | None) -> LabState:
    """This session's lab. On a session's first run: the lab the link's key names (or a new one), with
    the link's settings when it has any; on later runs: the same object."""
    if STATE_KEY in session_state:
        return lab_state(session_state)
    key = params.get("lab")
    state = _load(store, key) if key else None
    if key and state is None:
        state = LabState()
        state.notices.append("This link's lab was not found (a lab unopened for "
                             f"{IDLE_DAYS} days is deleted, or the link is incomplete): here is a fresh lab.")
    state = state or LabState()
    if "projector" in params:
        state.projector = params["projector"] == "1"
    setup, ignored = link.from_params(params)
    tailoring, not_tailored = link.read_tailoring(params, setup)
    if set(params) - link.OTHER or tailoring.hide or tailoring.fix:  # a link that holds settings brings its own
        state.data_spec, state.model_spec = setup.data_spec, setup.model_spec
    if ignored:
        state.notices.append("Some settings in this link could not be used, so the lesson's are used for "
                             "them: " + "; ".join(ignored) + ".")
    if not_tailored:
        state.notices.append("Some of this link's tailoring could not be used and is left out: "
                             + "; ".join(not_tailored) + ".")
    tailored = tailoring.hide or tailoring.fix or tailoring.hide_pages
    session_state[TAILORING_KEY] = tailoring if tailored else NOT_TAILORED
    session_state[CLASS_LINK_KEY] = {name: str(params[name])[:100] for name in ("class", "teach") if name in params}
    if store is not None:
        state.saver = _saver(store)
        state.poster = class_poster(store.database)
        _expire_now_and_then(store)
    session_state[STATE_KEY] = state
    return state


def lab_state(session_state: MutableMapping) -> LabState:
    """This session's lab (a bare one if app.py has not opened it), after keeping any training that has ended."""
    if STATE_KEY not in session_state:
        session_state[STATE_KEY] = LabState()
    state = session_state[STATE_KEY]
    state.collect_training()
    _hold(state, lab_tailoring(session_state))
    return state


def apply_setup(state: LabState, params: dict[str, str]) -> list[str]:
    """Take the settings a link's parameters describe (an instructor's pushed setup); returns what was ignored."""
    setup, ignored = link.from_params(params)
    state.data_spec, state.model_spec = setup.data_spec, setup.model_spec
    return ignored


def class_link(session_state: MutableMapping) -> dict[str, str]:
    """The class code and instructor key this session's link came with, kept in its address."""
    return session_state.get(CLASS_LINK_KEY, {})


def lab_tailoring(session_state: MutableMapping) -> link.Tailoring:
    """What this session's link hides and fixes (nothing, unless the session began with a tailored link)."""
    return session_state.get(TAILORING_KEY, NOT_TAILORED)


def link_params(state: LabState, tailoring: link.Tailoring = NOT_TAILORED) -> dict[str, str]:
    """The learner's own address: the lab's key, its settings, the tailoring it was opened with, and
    projector mode when it is on."""
    return {"lab": state.key, **setup_params(state), **tailoring.params(),
            **({"projector": "1"} if state.projector else {})}


def setup_params(state: LabState) -> dict[str, str]:
    """An address to share a setup: the settings only, never the lab's key."""
    return link.to_params(link.Setup(state.data_spec, state.model_spec))


def tailored_params(state: LabState, hide=(), fix=(), hide_pages=()) -> dict[str, str]:
    """An address to share a setup tailored for an exercise: the settings, and which controls are hidden or
    fixed (at these settings) and which pages hidden; never the lab's key."""
    tailoring = link.Tailoring(frozenset(hide), frozenset(fix), frozenset(hide_pages))
    return {**setup_params(state), **tailoring.params()}


def setup_link(address: str, params: dict[str, str]) -> str:
    """``address`` with ``params`` as its query (commas and dashes left readable)."""
    return address + ("?" + urlencode(params, safe=",-") if params else "")


def _hold(state: LabState, tailoring: link.Tailoring) -> None:
    """Hidden and fixed settings back at the link's values, if anything (a reset, a page) moved them."""
    if not (tailoring.hide or tailoring.fix):
        return
    held = tailoring.hold(link.Setup(state.data_spec, state.model_spec))
    if held.data_spec != state.data_spec:
        state.data_spec = held.data_spec
    if held.model_spec != state.model_spec:
        state.model_spec = held.model_spec


def _load(store: LabStore | None, key: str) -> LabState | None:
    if store is None:
        return None
    try:
        return store.load(key)
    except Exception:  # the store being down must not stop the lab: a fresh one, and the log says why
        log.exception("loading a lab failed")
        return None


def _saver(store: LabStore):
    def save(state: LabState) -> None:
        try:
            store.save(state)
        except Exception:
            log.exception("saving a lab failed")
            if not any("could not be saved" in notice for notice in state.notices):
                state.notices.append("Your lab could not be saved just now; it is kept in this tab meanwhile.")
    return save


def _expire_now_and_then(store: LabStore) -> None:
    last = _last_expired.get(id(store), 0.0)
    if time.monotonic() - last > EXPIRE_EVERY:
        _last_expired[id(store)] = time.monotonic()
        try:
            store.expire()
        except Exception:
            log.exception("expiring idle labs failed")
