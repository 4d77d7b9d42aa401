"""Penguin Lab: page config, the navigation in the lesson's order, the learner's lab and where they are."""

import logging

import streamlit as st

from pages import PageDone
from pages.ui.controls import tailoring_notice
from pages.ui.display import fold_sidebar_on_phones, style
from penguin_core import keras_worker
from penguin_core.database import Database
from penguin_core.lab import (LabStore, apply_setup, class_link, forget_widgets, lab_tailoring, link_params,
                              open_lab, setup_link, setup_params, tailored_params)
from penguin_core.lab.link import HIDEABLE_PAGES, NAMES, SETTINGS
from penguin_core.text import markdown_literal
from penguin_core.workflow import PAGES, page as page_entry

st.set_page_config(page_title="Penguin Lab", page_icon="🐧", layout="wide")  # an emoji: drawn by the browser
keras_worker.start()  # Keras loads in its own process: no page waits for it unless it needs it
log = logging.getLogger("penguin_lab")


@st.cache_resource
def lab_store() -> LabStore | None:
    """The server's store of labs: .streamlit/secrets.toml's database_url, PENGUIN_DATABASE_URL, or SQLite."""
    try:
        configured = st.secrets.get("database_url")
    except FileNotFoundError:
        configured = None
    try:
        return LabStore(Database.open(configured))
    except Exception:  # the lab still works, kept in the tab only; the log says why
        log.exception("the lab store could not be opened")
        return None


def share_links(address: str):
    """The two links to this setup, each in a code box (its copy button): the settings alone and, once asked
    for, the settings with the controls and pages chosen here hidden or fixed at their present values (the
    choice starts from this session's own tailoring). Returns what writes the links, called again after the
    page, whose controls may have changed the settings."""
    st.caption("Your settings, without your lab: whoever opens it starts a fresh lab with them.")
    plain = st.empty()
    hide = fix = pages = ()
    tailoring_asked = st.toggle("Tailor it for an exercise", key="share_tailoring",
                                help="As TensorFlow Playground's links can: hide some controls or pages, or fix "
                                     "some settings at their present values, so a class works on one thing.")
    if tailoring_asked:
        hide = st.multiselect("Hide these controls", list(SETTINGS), [n for n in SETTINGS if n in tailoring.hide],
                              format_func=NAMES.get, key="share_hide")
        fix = st.multiselect("Fix these (shown, not changeable; hiding wins)", list(SETTINGS),
                             [n for n in SETTINGS if n in tailoring.fix], format_func=NAMES.get, key="share_fix")
        pages = st.multiselect("Hide these pages", list(HIDEABLE_PAGES),
                               [url for url in HIDEABLE_PAGES if url in tailoring.hide_pages],
                               format_func=lambda url: page_entry(url).title, key="share_hide_pages")
    tailored = st.empty()
    here = address.removesuffix(page.url_path) if page.url_path in pages else address  # a hidden page: the start

    def write() -> None:
        plain.code(setup_link(address, setup_params(state)), language=None, wrap_lines=True)
        if hide or fix or pages:
            tailored.code(setup_link(here, tailored_params(state, hide, fix, pages)), language=None, wrap_lines=True)
        elif tailoring_asked:
            tailored.caption("Choose controls or pages above for the tailored link.")
    write()
    return write


def pushed_setup() -> None:
    """The setup the learner's instructor pushed last, with Apply, until applied or put aside."""
    if not state.classroom or state.poster is None:
        return
    try:
        pushed = state.poster.classroom.pushed(state.classroom["code"])
    except Exception:  # the board away: the learner's own lab goes on
        log.exception("reading the class's setup failed")
        return
    if pushed is None or pushed.number <= state.classroom.get("applied", 0):
        return
    box = st.container(border=True)
    box.markdown(f"**Your instructor shared a setup:** {markdown_literal(pushed.label)}")
    apply, later = box.columns([1, 4])
    if apply.button("Apply", type="primary", key=f"apply_setup_{pushed.number}"):
        ignored = apply_setup(state, pushed.params)
        state.classroom["applied"] = pushed.number
        for prefix in ("prep_", "arch_", "train_", "play_"):  # the controls show the new settings
            forget_widgets(st.session_state, prefix)
        if ignored:
            state.notices.append("Some of the shared settings could not be used: " + "; ".join(ignored) + ".")
        st.rerun()
    if later.button("Not now", key=f"skip_setup_{pushed.number}"):
        state.classroom["applied"] = pushed.number
        st.rerun()


@st.fragment(run_every=5.0)
def watch_the_class() -> None:
    """A learner in a class: a setup the instructor pushes shows within seconds, without a click."""
    try:
        pushed = state.poster.classroom.pushed(state.classroom["code"])
    except Exception:
        return
    if pushed is not None and pushed.number > state.classroom.get("applied", 0) \
            and st.session_state.get("pushed_shown") != pushed.number:
        st.session_state["pushed_shown"] = pushed.number
        st.rerun(scope="app")


@st.fragment(run_every=300)
def heartbeat() -> None:
    """Draws nothing. Streamlit's frontend reruns a page that has a run_every fragment when its websocket
    reconnects: after a replica dies behind nginx, the page is rerun on the replica that took it over with
    its address (?lab=...), so the learner's next click, even to another page, stays in their lab."""


def lab_status() -> tuple[str, str]:
    """The learner's progress, and their training and current model, as the sidebar shows them."""
    progress = "  \n".join(f"{DONE if done else TODO} {step}" for step, done in state.steps_done().items())
    lines = []
    if state.active is not None:
        job, name = state.active
        lines.append(f"{name} is training: epoch {job.visible()}/{job.spec.epochs}" if job.state != "waiting"
                     else f"{name} is waiting for a free trainer")
    if state.run is not None:
        lines.append(f"Current model: {markdown_literal(state.run.name)}, "
                     f"test accuracy {state.run.test_metrics['accuracy']:.1%}")
    return progress, "  \n".join(lines)


def draw_status(slot, status: tuple[str, str]) -> None:
    """In few elements: with a class clicking at once, every element is a message the server sends."""
    with slot.container():
        st.caption("Your progress")
        st.markdown(status[0])
        if status[1]:
            st.caption(status[1])


def pages_of_the_lab(shown: tuple[str, ...]) -> list:
    """The navigation's pages, made once a session (st.Page resolves its file on the disk, a cost every run
    of every learner paid), again only when a tailored link hides other pages."""
    made = st.session_state.get("navigation_pages")
    if made is None or made[0] != shown:
        made = shown, [st.Page(entry.file, title=entry.title, icon=entry.icon, default=entry is PAGES[0])
                       for entry in PAGES if entry.url in shown]
        st.session_state["navigation_pages"] = made
    return made[1]


DONE, TODO = ":material/check_circle:", ":material/radio_button_unchecked:"
store = lab_store()
state = open_lab(st.session_state, st.query_params.to_dict(), store)
tailoring = lab_tailoring(st.session_state)
# One flat list in the lesson's order: Streamlit draws sectioned navigation with list items outside any list
# (axe-core's "list" and "listitem" rules; tests/browser/test_accessibility.py documents it). A tailored link's
# hidden pages are left out (their address then opens the start page, Streamlit saying it has no such page).
page = st.navigation(pages_of_the_lab(tuple(e.url for e in PAGES if e.url not in tailoring.hide_pages)),
                     expanded=True)  # every page listed, never behind "View more"
state.visited.add(page.url_path)  # the progress below counts the pages opened
with st.sidebar:
    state.projector = st.toggle("Projector mode", value=state.projector, key="projector_mode",
                                help="Larger, darker type, and the key views on one screen, for a class.")
style(state.projector)
fold_sidebar_on_phones(page.url_path)
with st.sidebar:
    status_slot, status = st.empty(), lab_status()
    draw_status(status_slot, status)
    if store is None:
        st.caption("This lab is kept in this tab only: the server's store is not available.")
    else:
        st.caption("This page's address is your lab: bookmark it to come back to your runs and answers. "
                   "It is your key, so share the link below instead.")
    if tailoring.hide_pages:
        st.caption("Your instructor hid some pages for this exercise: "
                   + ", ".join(entry.title for entry in PAGES if entry.url in tailoring.hide_pages) + ".")
    if state.classroom and state.poster is not None:
        st.caption(f"Class {state.classroom['code']}, as {markdown_literal(state.classroom['name'])}")
        watch_the_class()
    with st.expander("Share this setup"):
        write_share_links = share_links(st.context.url or "")
while state.notices:
    st.warning(markdown_literal(state.notices.pop(0)))
pushed_setup()
heartbeat()
tailoring_notice()
try:
    page.run()
except PageDone:  # the page ended early: the lab is saved and the address written all the same
    pass
except Exception:  # a bug: the learner gets a sentence, the log gets the traceback
    log.exception("page %s failed", page.url_path)
    st.error("Something went wrong on this page. Your model, runs and settings are safe: open another page "
             "or reload this one. (The server's log has the details.)")
finally:
    state.save()  # even on st.rerun(), which ends this run before the lines below
write_share_links()  # again: the page's controls may have changed the settings
if (after := lab_status()) != status:  # the page trained and kept a run: the sidebar says so at once
    draw_status(status_slot, after)
st.query_params.from_dict({**link_params(state, tailoring), **class_link(st.session_state)})
