"""A class on every page: for a learner, the setup the instructor pushed (Apply, or put it aside) and a watch
that brings a new one within seconds without a click; for an instructor, what to hand out."""

from __future__ import annotations

import streamlit as st

import io

import segno

from pages.ui.display import fragment
from penguin_core.lab import setup_link, the_lab
from penguin_core.lab.address import PUBLIC_URL, only_here, public_base
from penguin_core.text import markdown_literal

WATCH_SECONDS = 2.5  # a push shows within 5 s: a look every 2.5 s, then a rerun


def pushed_setup(lab) -> None:
    """The setup the learner's instructor pushed last, with Apply, until applied or put aside."""
    pushed = lab.classwork.pushed()
    if pushed is None:
        return
    box = st.container(border=True)
    changes = lab.classwork.changes(pushed)
    box.markdown(f"**Your instructor shared a setup** ({markdown_literal(pushed.label)}). "
                 + ("Apply changes " + "; ".join(markdown_literal(c) for c in changes) + "." if changes else
                    "Your settings are this setup already."))
    apply, later = box.columns([1, 4])
    if apply.button("Apply", type="primary", key=f"pushed_apply_{pushed.number}"):
        lab.classwork.apply(pushed)
        st.rerun()
    if later.button("Not now", key=f"pushed_skip_{pushed.number}"):
        lab.classwork.put_aside(pushed)
        st.rerun()


@fragment(run_every=WATCH_SECONDS)
def watch_the_class() -> None:
    """A learner in a class: a setup the instructor pushes shows within seconds, without a click."""
    if the_lab(st.session_state).classwork.news():
        st.rerun(scope="app")


def class_links(teaching, key_toggle: bool = True) -> None:
    """What to hand out (the code, the join link at the address learners can open), and the instructor link on
    demand: starting a class while projecting must not show the board's key to the room."""
    code, base = teaching.code, public_base(st.context.url or "")
    join_link = setup_link(base + "/classroom", {"class": code})
    words, picture = st.columns([3, 1])
    words.metric("For the learners: the class code", code)
    words.markdown("or this link (or the QR code, for phones):")
    words.code(join_link, language=None, wrap_lines=True)
    picture.image(qr_svg(join_link), caption="The join link", width=160)
    if only_here(base):
        st.warning(f"This address works on this computer only. Give learners the address they open this server "
                   f"with (its name or IP address on your network, and the port), ending in /classroom?class={code}; "
                   f"or start the server with {PUBLIC_URL} set to that address and the link above uses it.")
    if key_toggle and st.toggle("Show my instructor link (keep it off while projecting)", key="class_show_key"):
        st.markdown("**For you only**: your instructor link. Keep it: it is the key to the class's board.")
        st.code(setup_link(base + "/instructor", teaching.params()), language=None, wrap_lines=True)
        if st.button("Replace the key (the old link stops working)", key="class_replace_key"):
            teaching.replace_key()
            st.rerun()


def qr_svg(link: str) -> str:
    """The link as a QR code, an SVG made here (nothing fetched)."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False)
    return out.getvalue().decode()
