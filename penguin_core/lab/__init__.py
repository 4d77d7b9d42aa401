"""A learner's lab: its record, kept in the store by a key in the learner's link, its settings in the link,
and the ``Lab`` that owns it in a browser tab (every verb a learner has; see ``session``).

    lab = open_lab(st.session_state, st.query_params.to_dict(), store)   # app.py, every script run
    lab = the_lab(st.session_state)                                        # a page
    st.query_params.from_dict(lab.address(page))                           # app.py, after the page

A reload, a new tab with the same link or a server restart opens the same
lab. A link with an unknown key opens a fresh lab and says so; a link's
settings that cannot be used are named and the lesson's taken instead.

A tailored link (``hide=``, ``fix=``, ``hide_pages=``; see ``link``) shapes
this tab's view of the lab, not the lab: it is read on the tab's first run,
kept in its ``Lab`` and written back into the learner's own address with the
settings, so it survives navigation and reloads; the lab opened with another
address is not tailored. While it lasts, hidden and fixed settings stay at
the link's values whatever changes the others ("Reset to the lesson" included).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
import weakref
from collections.abc import MutableMapping
from urllib.parse import urlencode

from penguin_core.classroom import Classroom
from penguin_core.lab import link
from penguin_core.lab.session import MAX_ANSWER, NOT_TAILORED, Lab
from penguin_core.lab.state import MAX_HISTORY, LabState, Membership, Sweeping, new_key
from penguin_core.lab.store import IDLE_DAYS, LabStore

__all__ = ["IDLE_DAYS", "MAX_ANSWER", "MAX_HISTORY", "SESSION_KEY", "Lab", "LabState", "LabStore", "Membership",
           "Sweeping", "new_key", "open_lab", "setup_link", "setup_params", "tailored_params", "the_lab"]

SESSION_KEY = "penguin_lab"
"""The one key of Streamlit's session state that holds the tab's ``Lab``."""
EXPIRE_EVERY = 3600.0
RETRY_SECONDS = 3.0
"""A tab whose lab the store could not give asks again this often (on its next script runs)."""
STORE_AWAY = ("Your lab could not be opened: the server's database is not answering just now. Nothing is lost: "
              "your lab's key stays in the address, and this tab works meanwhile; what you do here joins your lab "
              "once the database answers (this page tries again every few seconds as you use it).")
log = logging.getLogger(__name__)
_last_expired: dict[int, float] = {}
_live: weakref.WeakValueDictionary[str, LabState] = weakref.WeakValueDictionary()
"""The labs open in this server process, by key: every tab of a lab, and a tab reloaded, share one record,
so a training under way in one is found by the others."""
_live_lock = threading.Lock()


def open_lab(session_state: MutableMapping, params: dict[str, str], store: LabStore | None) -> Lab:
    """This tab's lab. On a tab's first run: the lab the link's key names (or a new one), with the link's
    settings when it has any; on later runs: the same ``Lab``, after keeping a training that has ended.
    When the store cannot give the key's lab (the database away), the tab works in a stand-in under the same
    key, never saved over the stored lab, and its later runs try again (see ``Lab.adopt``)."""
    if SESSION_KEY in session_state:
        lab = session_state[SESSION_KEY]
        if lab.store is None and store is not None and not lab.standing_in:  # the store back after a failed start
            lab.store = store
        if lab.standing_in:
            _reopen(lab, store)
        lab.collect()
        return lab
    key = params.get("lab")
    standing_in = False
    try:
        state = _load(store, key) if key else None
    except StoreAway:
        state, standing_in = LabState(key=key, kept=True), True  # kept: the key stays in the address
        state.notices.append(STORE_AWAY)
    if key and state is None:
        state = LabState()
        state.notices.append("This link's lab was not found (a lab unopened for "
                             f"{IDLE_DAYS} days is deleted, or the link is incomplete): here is a fresh lab.")
    state = state or LabState()
    if not standing_in:
        with _live_lock:
            _live.setdefault(state.key, state)
    if "projector" in params:
        state.projector = params["projector"] == "1"
    setup, ignored = link.from_params(params)
    tailoring, not_tailored = link.read_tailoring(params, setup)
    if ignored:
        state.notices.append("Some settings in this link could not be used, so the lesson's are used for "
                             "them: " + "; ".join(ignored) + ".")
    if not_tailored:
        state.notices.append("Some of this link's tailoring could not be used and is left out: "
                             + "; ".join(not_tailored) + ".")
    tailored = tailoring.hide or tailoring.fix or tailoring.hide_pages
    lab = Lab(state, store, tailoring if tailored else NOT_TAILORED,
              classroom_of(store.database) if store is not None else None,
              str(params.get("class", ""))[:100], str(params.get("teach", ""))[:100])
    lab.standing_in = standing_in
    if set(params) - link.OTHER or tailoring.hide or tailoring.fix:  # a link that holds settings brings its own
        lab.settle(setup.data_spec, setup.model_spec)
    if store is not None:
        _expire_now_and_then(store)
    session_state[SESSION_KEY] = lab
    return lab


def the_lab(session_state: MutableMapping) -> Lab:
    """This tab's lab (opened by app.py at the start of every script run)."""
    return session_state[SESSION_KEY]


@functools.lru_cache(maxsize=None)
def classroom_of(database) -> Classroom:
    """One classroom (and so one posting limit) per database, shared by every tab of the server."""
    return Classroom(database)


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


class StoreAway(Exception):
    """The store could not say whether the key's lab exists (the database down, locked or full)."""


def _load(store: LabStore | None, key: str) -> LabState | None:
    """The lab this process already has open under ``key``, else the store's; StoreAway when the store cannot
    answer (never "not found" then: that would give the learner a new key and lose their lab)."""
    with _live_lock:
        state = _live.get(key)
    if state is not None:
        return state
    if store is None:  # the store could not even be opened
        raise StoreAway
    try:
        return store.load(key)
    except Exception as error:
        log.exception("loading a lab failed")
        raise StoreAway from error


def _reopen(lab: Lab, store: LabStore | None) -> None:
    """A stand-in tab asks the store again, every ``RETRY_SECONDS`` and once nothing trains in it."""
    if store is None or time.monotonic() - lab.tried_at < RETRY_SECONDS or lab.running():
        return
    lab.tried_at = time.monotonic()
    try:
        stored = _load(store, lab.state.key)
    except StoreAway:
        return
    if stored is None:  # the database answers, and has no such lab: this tab's work becomes a new lab
        lab.state.key = new_key()
        lab.state.notices.append("Your link's lab was not found now that the database answers, so what you did "
                                 "in this tab is kept as a new lab (its key is in the address).")
    else:
        lab.adopt(stored)
    with _live_lock:
        lab.state = _live.setdefault(lab.state.key, lab.state)
    lab.store, lab.standing_in = store, False
    lab.classwork.classroom = lab.teaching.classroom = classroom_of(store.database)


def _expire_now_and_then(store: LabStore) -> None:
    last = _last_expired.get(id(store), 0.0)
    if time.monotonic() - last > EXPIRE_EVERY:
        _last_expired[id(store)] = time.monotonic()
        try:
            store.expire()
            classroom_of(store.database).expire()
        except Exception:
            log.exception("expiring idle labs and classes failed")
