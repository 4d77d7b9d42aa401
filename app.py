"""Penguin Lab: the frame around every page: page config, the learner's lab, the navigation in the lesson's
order, the sidebar, and the address."""

import logging
import time

import streamlit as st

from pages.ui.classwork import pushed_setup
from pages.ui.controls import tailoring_notice
from pages.ui.display import close_first_run_notice, failure, fold_sidebar_on_phones, fragment, style
from pages.ui.fairness import guard_reruns, this_client
from pages.ui.sidebar import notes, share_links, status_view
from penguin_core.database import Database
from penguin_core.lab import LabStore, open_lab
from penguin_core.text import markdown_literal
from penguin_core.warmup import warm_up
from penguin_core.workflow import PAGES

st.set_page_config(page_title="Penguin Lab", page_icon="🐧", layout="wide")  # an emoji: drawn by the browser
warm_up()  # what is slow the first time is made in the background (Keras loads in its own process)
guard_reruns()  # a session or an address asking for more script runs than its share waits (issue 22)
log = logging.getLogger("penguin_lab")


@st.cache_resource
def opened_store() -> LabStore:
    """The server's store of labs: .streamlit/secrets.toml's database_url, PENGUIN_DATABASE_URL, or SQLite
    (a failure is not cached: the next try may find the database up)."""
    try:
        configured = st.secrets.get("database_url")
    except FileNotFoundError:
        configured = None
    return LabStore(Database.open(configured))


def lab_store() -> LabStore | None:
    """The store, or None while it cannot be opened (tried again at most every 10 s; labs wait meanwhile)."""
    global _store_failed_at
    if time.monotonic() - _store_failed_at < 10:
        return None
    try:
        return opened_store()
    except Exception:  # the lab still works, kept in the tab only; the log says why
        log.exception("the lab store could not be opened")
        _store_failed_at = time.monotonic()
        return None


_store_failed_at = -10.0


def navigation_pages(shown: tuple[str, ...]) -> list:
    """The navigation's pages, made once a tab (st.Page resolves its file on the disk, a cost every run of
    every learner paid), again only when a tailored link hides other pages."""
    made = st.session_state.get("frame_pages")
    if made is None or made[0] != shown:
        made = shown, [st.Page(entry.file, title=entry.title, icon=entry.icon, default=entry is PAGES[0])
                       for entry in PAGES if entry.url in shown]
        st.session_state["frame_pages"] = made
    return made[1]


@fragment(run_every=300)
def heartbeat() -> None:
    """Draws nothing. Streamlit's frontend reruns a page that has a run_every fragment when its websocket
    reconnects: after a replica dies behind nginx, the page is rerun on the replica that took it over with
    its address (?lab=...), so the learner's next click, even to another page, stays in their lab."""


lab = open_lab(st.session_state, st.query_params.to_dict(), lab_store())
lab.client = this_client()
# One flat list in the lesson's order: Streamlit draws sectioned navigation with list items outside any list
# (axe-core's "list" and "listitem" rules; tests/browser/test_accessibility.py documents it). A tailored link's
# hidden pages are left out (their address then opens the start page, Streamlit saying it has no such page).
page = st.navigation(navigation_pages(tuple(e.url for e in PAGES if e.url not in lab.tailoring.hide_pages)),
                     expanded=True)  # every page listed, never behind "View more"
lab.visit(page.url_path)  # the progress below counts the pages opened
with st.sidebar:
    close_first_run_notice(page)
    lab.state.projector = st.toggle("Projector mode", value=lab.state.projector, key="projector_mode",
                                    help="Larger, darker type, and the key views on one screen, for a class.")
style(lab.state.projector, board_listed=bool(lab.teaching.code) or page.url_path == "instructor")
fold_sidebar_on_phones(page.url_path)
with st.sidebar:
    status_place = st.container()  # filled after the page: what it did shows at once
    notes(lab)
    with st.expander("Share this setup"):
        write_share_links = share_links(lab, st.context.url or "", page.url_path)
while lab.state.notices:
    st.warning(markdown_literal(lab.state.notices.pop(0)))
pushed_setup(lab)
heartbeat()
tailoring_notice()
try:
    page.run()
except Exception as error:  # a bug or the database away: the learner gets a sentence, the log the traceback
    log.exception("page %s failed", page.url_path)
    st.error(failure(error))
finally:
    lab.save()  # even on st.rerun(), which ends this run before the lines below
write_share_links()  # again: the page's controls may have changed the settings
with status_place:
    status_view()
st.query_params.from_dict(lab.address(page.url_path))
