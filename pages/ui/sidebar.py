"""The sidebar every page shares: where the learner is, their training and model, the class they are in,
and the links to share this setup (plain, or tailored for an exercise)."""

from __future__ import annotations

import streamlit as st

from pages.ui.display import fragment
from pages.ui.classwork import watch_the_class
from pages.ui.components.signal import listen, tell
from penguin_core.lab import setup_link, setup_params, tailored_params, the_lab
from penguin_core.lab.link import HIDEABLE_PAGES
from penguin_core.settings import BY_NAME, SETTINGS
from penguin_core.text import markdown_literal
from penguin_core.workflow import PAGES, page as page_entry

DONE, TODO = ":material/check_circle:", ":material/radio_button_unchecked:"


def status(lab) -> tuple[str, str]:
    """The learner's progress, and their training and current model, as the sidebar shows them."""
    progress = "  \n".join(f"{DONE if done else TODO} {step}" for step, done in lab.steps_done().items())
    lines = []
    if lab.active is not None:
        job, name = lab.active
        lines.append(f"{name} is training: epoch {job.visible()}/{job.spec.epochs}" if job.state != "waiting"
                     else f"{name} is waiting for a free trainer")
    if lab.state.run is not None:
        lines.append(f"Current model: {markdown_literal(lab.state.run.name)}, "
                     f"test accuracy {lab.state.run.test_metrics['accuracy']:.1%}")
    return progress, "  \n".join(lines)


@fragment
def status_view() -> None:
    """The progress, the training and the model, in few elements (with a class clicking at once, every
    element is a message the server sends); redrawn alone when a fragment tells it something changed."""
    shown = st.session_state["frame_status"] = status(the_lab(st.session_state))
    st.caption("Your progress")
    st.markdown(shown[0])
    if shown[1]:
        st.caption(shown[1])
    listen("frame_status_listen")


def tell_if_changed(lab) -> None:
    """After a fragment's work (a Train click, a run played out): the sidebar redraws itself if it is stale."""
    if status(lab) != st.session_state.get("frame_status"):
        tell("frame_status_tell")


def notes(lab) -> None:
    """What the sidebar says of the lab's keeping, the pages an instructor hid, and the class."""
    if lab.store is None:
        st.caption("This lab is kept in this tab only: the server's store is not available.")
    else:
        st.caption("This page's address is your lab: bookmark it to come back to your runs and answers. "
                   "It is your key, so share the link below instead.")
    if lab.tailoring.hide_pages:
        st.caption("Your instructor hid some pages for this exercise: "
                   + ", ".join(entry.title for entry in PAGES if entry.url in lab.tailoring.hide_pages) + ".")
    if lab.classwork.joined is not None:
        closed = " (closed by your instructor)" if lab.classwork.closed else ""
        st.caption(f"Class {lab.classwork.joined.code}{closed}, as {markdown_literal(lab.classwork.joined.name)}")
        watch_the_class()


def share_links(lab, address: str, here: str):
    """The two links to this setup, each in a code box (its copy button): the settings alone and, once asked
    for, the settings with the controls and pages chosen here hidden or fixed at their present values (the
    choice starts from this tab's own tailoring). Returns what writes the links, called again after the
    page, whose controls may have changed the settings."""
    st.caption("Your settings, without your lab: whoever opens it starts a fresh lab with them.")
    plain = st.empty()
    hide = fix = pages = ()
    tailoring = lab.tailoring
    tailoring_asked = st.toggle("Tailor it for an exercise", key="share_tailoring",
                                help="As TensorFlow Playground's links can: hide some controls or pages, or fix "
                                     "some settings at their present values, so a class works on one thing.")
    names = [row.name for row in SETTINGS]
    if tailoring_asked:
        hide = st.multiselect("Hide these controls", names, [n for n in names if n in tailoring.hide],
                              format_func=lambda n: BY_NAME[n].spoken, key="share_hide")
        fix = st.multiselect("Fix these (shown, not changeable; hiding wins)", names,
                             [n for n in names if n in tailoring.fix], format_func=lambda n: BY_NAME[n].spoken,
                             key="share_fix")
        pages = st.multiselect("Hide these pages", list(HIDEABLE_PAGES),
                               [url for url in HIDEABLE_PAGES if url in tailoring.hide_pages],
                               format_func=lambda url: page_entry(url).title, key="share_hide_pages")
    tailored = st.empty()
    start = address.removesuffix(here) if here in pages else address  # a hidden page: the start page instead

    def write() -> None:
        plain.code(setup_link(address, setup_params(lab.state)), language=None, wrap_lines=True)
        if hide or fix or pages:
            tailored.code(setup_link(start, tailored_params(lab.state, hide, fix, pages)), language=None,
                          wrap_lines=True)
        elif tailoring_asked:
            tailored.caption("Choose controls or pages above for the tailored link.")
    write()
    return write
