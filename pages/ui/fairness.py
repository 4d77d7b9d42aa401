"""Streamlit's reruns through the server's budget (``penguin_core.server.clients.RerunBudget``).

Every message a browser sends reaches ``Runtime.handle_backmsg`` on the
server's event loop; a rerun asked for beyond the session's or its client's
budget is held there (the newest one of the session only) and handed on when
the budget allows, before any script runs. A flood then costs the server a
message parse, not a script run. Installed once per server by app.py.
"""

from __future__ import annotations

import asyncio
import logging
import threading

import streamlit as st
from streamlit.runtime import Runtime

from penguin_core.server.clients import RerunBudget, client_address

log = logging.getLogger("penguin_lab")
_installing = threading.Lock()  # the first script runs of several sessions may come at once


def guard_reruns(budget: RerunBudget | None = None) -> None:
    """Put the budget in front of the server's reruns (once; later calls do nothing; none under AppTest)."""
    if not Runtime.exists() or getattr(Runtime.instance().handle_backmsg, "budget", None) is not None:
        return
    with _installing:
        runtime = Runtime.instance()
        if getattr(runtime.handle_backmsg, "budget", None) is None:
            runtime.handle_backmsg = _guarded(runtime.handle_backmsg, budget or RerunBudget())


def _guarded(handle_now, budget: RerunBudget):
    """``handle_now`` (the Runtime's own) behind ``budget``."""
    held: dict[str, tuple] = {}  # session id -> its newest rerun waiting for the budget, and its client

    def handle(session_id: str, msg, *, client=None) -> None:
        if msg.WhichOneof("type") != "rerun_script":
            return handle_now(session_id, msg, client=client)
        if session_id in held:  # one is waiting already: this newer one takes its place
            held[session_id] = (msg, client)
            return None
        wait = budget.ask(session_id, _client_of(client))
        if wait == 0:
            return handle_now(session_id, msg, client=client)
        held[session_id] = (msg, client)
        asyncio.get_running_loop().call_later(wait, release, session_id)
        return None

    def release(session_id: str) -> None:
        msg, client = held.pop(session_id)
        try:
            handle(session_id, msg, client=client)
        except Exception:  # the session went away meanwhile
            log.debug("a held rerun could not be handed on", exc_info=True)

    handle.budget = budget
    return handle


def this_client() -> str:
    """The client of the script run under way (for the training queue's fairness)."""
    return client_address(st.context.headers.items(), st.context.ip_address)


def _client_of(client) -> str:
    context = getattr(client, "client_context", None)
    if context is None:
        return "local"
    return client_address(context.headers, context.remote_ip)
