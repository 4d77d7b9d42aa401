"""How the lab looks: the stylesheet, projector mode, and charts drawn for the current mode.

Projector mode (a switch in the sidebar, ``projector=1`` in the address)
makes every text and chart larger and darker for a class reading a wall
from the back of the room, and the Train page's key view fits one 1280×720
screen. The stylesheet also gives code blocks' syntax colours that pass
WCAG AA contrast (Streamlit's own fail it).
"""

from __future__ import annotations

import functools
import logging

import streamlit as st

from penguin_core.database import UNAVAILABLE, unavailable
from penguin_core.figures import LAYOUT, PlainFigure
from penguin_core.lab import SESSION_KEY

STYLE = """<style>
/* With the sidebar folded, Streamlit's top bar (60 px) takes the clicks across the whole width: every page,
   the Playground's and projector mode's tighter tops included, starts below it. */
.stApp:has([data-testid="stExpandSidebarButton"]) [data-testid="stMainBlockContainer"] {
  padding-top: 4.25rem !important; }
/* A multiselect shows every chosen option in full: its chips wrap onto more lines instead of scrolling out of
   sight or shortening, and its clear and open icons go under them when a line has no room left. */
div:has(> [data-testid="stMultiSelectTagsContainer"]) { flex-wrap: wrap !important; max-height: none !important;
  height: auto !important; justify-content: flex-end; }
[data-testid="stMultiSelectTagsContainer"] { flex: 1 1 auto !important; flex-wrap: wrap !important;
  overflow: visible !important; height: auto !important; row-gap: 0.25rem; padding: 0.2rem 0 !important; }
/* On a phone a chart's toolbar shows all the time (there is no hover) and covers its titles: fold it away. */
@media (max-width: 640px) { .modebar-container { display: none !important; } }
/* Streamlit's syntax colours fall below 4.5:1 on its code background; these pass it. */
.token.boolean, .token.constant, .token.symbol { color: #116329 !important; }
.token.number, .token.regex { color: #0b6b6b !important; }
.token.string, .token.char, .token.attr-value { color: #1d6b2a !important; }
.token.operator, .token.entity { color: #8a4b08 !important; }
.token.comment, .token.prolog, .token.doctype, .token.cdata, .token.punctuation { color: #555555 !important; }
.token.keyword, .token.builtin, .token.function, .token.class-name, .token.atrule { color: #6b2fa0 !important; }
.token.parameter, .token.variable, .token.property, .token.attr-name, .token.tag, .token.selector,
.token.url, .token.important, .token.deleted, .token.inserted { color: #0b4f8a !important; }
</style>"""
PROJECTOR_STYLE = """<style>
html { font-size: 112.5%; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *, [data-testid="stMetricLabel"] * {
  color: #000000 !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem !important; max-width: 100% !important; }
h1 { font-size: 2.1rem !important; padding-top: 0 !important; }
</style>"""
PROJECTOR_FONT = 18
BOARD_UNLISTED = """<style>
[data-testid="stSidebarNav"] li:has(a[href$="/instructor"]) { display: none; }
</style>"""


def style(projector: bool, board_listed: bool = True) -> None:
    """The lab's stylesheet, and projector mode's on top when it is on; ``board_listed`` False leaves the
    Instructor's board out of the sidebar's list (a learner's; the Classroom page still links to it)."""
    st.html(STYLE + (PROJECTOR_STYLE if projector else "") + ("" if board_listed else BOARD_UNLISTED))


CLOSE_SIDEBAR_ON_A_PHONE = """<script>
/* After opening another page on a narrow screen, fold the sidebar away, so the page is what shows.
   Streamlit does it only for browsers that say they are phones; a narrow window deserves it too. */
(() => {
  const page = "%s";
  if (!window.matchMedia("(max-width: 768px)").matches || sessionStorage.getItem("penguinLabPage") === page) return;
  sessionStorage.setItem("penguinLabPage", page);
  const fold = () => {
    const button = document.querySelector('[data-testid="stSidebarCollapseButton"] button[aria-expanded="true"]');
    if (button) button.click();
  };
  setTimeout(fold, 50);
})();
</script>"""


def fold_sidebar_on_phones(page: str) -> None:
    """On a narrow screen, close the sidebar once each time another page opens."""
    st.html(CLOSE_SIDEBAR_ON_A_PHONE % "".join(ch for ch in page if ch.isalnum() or ch in "_-"),
            unsafe_allow_javascript=True)


FIRST_RUN_NOTICE = """<script>
/* A fresh server's very first page load runs in Streamlit's old automatic navigation (a pages/ folder exists):
   it did not know this page, said "Page not found" and ran app.py, which drew the page all the same. */
(() => {
  const until = Date.now() + 10000;
  const close = () => {
    const dialog = [...document.querySelectorAll('[role="dialog"]')].find(d => d.textContent.includes("Page not found"));
    const button = dialog && dialog.querySelector('button[aria-label="Close"]');
    if (button) button.click(); else if (Date.now() < until) setTimeout(close, 50);
  };
  close();
})();
</script>"""
_navigated = False


def close_first_run_notice(page) -> None:
    """On the server's first page load only, if it was another page than the start: close Streamlit's
    mistaken "Page not found" (see ``FIRST_RUN_NOTICE``)."""
    global _navigated
    if not _navigated:
        _navigated = True
        if page.url_path:
            st.html(FIRST_RUN_NOTICE, unsafe_allow_javascript=True)


def chart(figure, projector: bool = False, **options):
    """``st.plotly_chart`` with dark axis text (Streamlit's chart theme draws it pale grey at 12 px), larger
    still on a projector. The figure goes to Streamlit as a plain dict (see ``PlainFigure``)."""
    spec = figure.to_dict()
    size = PROJECTOR_FONT if projector else LAYOUT["font"]["size"]
    text = {"color": "#000000" if projector else LAYOUT["font"]["color"]}
    layout = spec.setdefault("layout", {})
    layout["font"] = {**layout.get("font", {}), "size": size, **text}
    layout["legend"] = {**layout.get("legend", {}), "font": {"size": size - 1, **text}}
    for name in {"xaxis", "yaxis", *(k for k in layout if k.startswith(("xaxis", "yaxis")))}:
        axis = dict(layout.get(name, {}))
        title = axis.get("title", {})
        axis["title"] = {**({"text": title} if isinstance(title, str) else title), "font": {"size": size, **text}}
        axis["tickfont"] = {"size": size - 1, **text}
        layout[name] = axis
    return st.plotly_chart(PlainFigure(spec), **options)




SOMETHING_WENT_WRONG = ("Something went wrong on this page. Your model, runs and settings are safe: open another "
                        "page or reload this one. (The server's log has the details.)")


def failure(error: BaseException) -> str:
    """What a learner is told when a page or a part of it fails: the database being away, or a bug."""
    return UNAVAILABLE if unavailable(error) else SOMETHING_WENT_WRONG


def fragment(body=None, *, run_every=None, key: str | None = None):
    """``st.fragment`` keeping the frame's promises inside it too, as a fragment's rerun runs without app.py
    around it: a bug shows the frame's sentence (the traceback goes to the log), never Streamlit's error, and
    the lab is saved after it (nothing is written when nothing changed)."""
    def decorate(function):
        @functools.wraps(function)
        def guarded(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception as error:
                logging.getLogger("penguin_lab").exception("fragment %s failed", function.__name__)
                st.error(failure(error))
            finally:
                if SESSION_KEY in st.session_state:
                    st.session_state[SESSION_KEY].save()
        return st.fragment(guarded, run_every=run_every, key=key)
    return decorate(body) if body is not None else decorate


def when_ready(ready, message: str) -> bool:
    """Whether ``ready()`` says what the page needs is there; if not, ``message`` shows and this part alone
    looks again every second, and the page is drawn again once it is (nothing blocks the page meanwhile)."""
    if ready():
        return True
    _waiting(ready, message)
    return False


@fragment(run_every=1.0)
def _waiting(ready, message: str) -> None:
    if ready():
        st.rerun(scope="app")
    st.info(message, icon=":material/hourglass_top:")


__all__ = ["LAYOUT", "SOMETHING_WENT_WRONG", "chart", "close_first_run_notice", "fold_sidebar_on_phones",
           "failure", "fragment", "style", "when_ready"]
