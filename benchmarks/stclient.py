"""One learner's browser tab without a browser: Streamlit's own websocket protocol, spoken from Python.

A ``Tab`` connects to ``ws://host:port/_stcore/stream`` (subprotocol
``streamlit``), asks for script runs the way the browser does (a ``BackMsg``
whose ``rerun_script`` carries the page, the address's query string and the
widgets' values) and keeps what the server draws (the ``ForwardMsg`` deltas),
so a benchmark can click a button by its key and read the page afterwards::

    import asyncio
    from benchmarks.stclient import Tab

    async def main():
        async with await Tab.open("http://127.0.0.1:8501", page="train") as tab:
            await tab.click("train_button")               # returns when the page is idle again
            print(tab.metric("Test accuracy"), tab.find(r"fingerprint \\*\\*(\\w+)\\*\\*"))

    asyncio.run(main())

What the browser does and this client does too:

- the address's query string goes with every run; when the script writes
  ``st.query_params`` the server sends ``page_info_changed`` and the new
  string is used from then on (Penguin Lab writes the lab's key there:
  ``tab.query["lab"]``);
- pages are asked for by their address (``"train"``), with their script hash
  once the server's ``navigation`` message has named it;
- a run is over at a ``script_finished`` that is not "finished early for a
  rerun" (``st.rerun()`` ends one run and starts the next; the click is done
  when the last one finishes);
- what a run did not draw again is removed when it finishes (a fragment's run
  removes only what that fragment drew before);
- a widget inside a fragment reruns only its fragment; ``auto_rerun`` messages
  (``st.fragment(run_every=...)``) are followed when ``follow_auto_reruns``.

A custom component's JavaScript is not run, but its triggers can be sent (``trigger``).
What it does not do: render, run JavaScript, upload files,
take part in forms (a form's widgets are sent at once, like any other).
Messages are never answered from the browser's cache: the client reports no
cached messages, so the server sends every message in full.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.parse
from dataclasses import dataclass, field

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState

EARLY_FOR_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN
INTERNAL_KEY_PREFIX, EVENT_DELIM = "$$STREAMLIT_INTERNAL_KEY", "__"  # a component's trigger widget: <prefix>_<id>__events
WIDGET_ID_PREFIX = "$$ID-"  # "$$ID-<hash>-<user key>" for a widget with a key (streamlit.elements.lib.utils)

# The field of WidgetState each kind of widget sends its value in (the browser's choice, as
# streamlit/elements/widgets/*.py register it with value_type=...).
VALUE_FIELDS = {
    "button": "trigger_value",
    "download_button": "trigger_value",
    "checkbox": "bool_value",             # st.checkbox and st.toggle
    "slider": "double_array_value",       # st.select_slider: string_array_value, see _value_field
    "number_input": "double_value",
    "selectbox": "string_value",          # the option as shown (format_func applied)
    "radio": "string_value",
    "text_input": "string_value",
    "text_area": "string_value",
    "color_picker": "string_value",
    "multiselect": "string_array_value",
    "button_group": "string_array_value",  # st.pills, st.segmented_control, st.feedback
}


@dataclass
class Shown:
    """One element or block the page shows now, at its place in the page's tree (``delta_path``)."""

    path: tuple[int, ...]
    element: Element | None  # None for a block (columns, container, expander...)
    run: str                 # the script run that drew it
    fragment: str            # the fragment that drew it, "" outside fragments

    @property
    def kind(self) -> str:
        return self.element.WhichOneof("type") if self.element is not None else "block"

    @property
    def proto(self):
        """The element's own message (a Markdown, a Metric, a Button...)."""
        return getattr(self.element, self.kind)

    @property
    def widget_key(self) -> str | None:
        """The user key of a widget made with ``key=...``, else None."""
        widget_id = getattr(self.proto, "id", "") if self.element is not None else ""
        if widget_id.startswith(WIDGET_ID_PREFIX) and widget_id.count("-") >= 2:
            return widget_id.split("-", 2)[2] or None
        return None

    @property
    def text(self) -> str:
        return element_text(self.element) if self.element is not None else ""


def element_text(element: Element) -> str:
    """The words an element shows: a Markdown or caption's source, a heading, an alert, a metric's label and
    value, a progress bar's text, an exception's type and message, a widget's label; "" for the rest."""
    kind = element.WhichOneof("type")
    proto = getattr(element, kind)
    if kind == "metric":
        return f"{proto.label}: {proto.body}"
    if kind == "exception":
        return f"{proto.type}: {proto.message}"
    if kind == "code":
        return proto.code_text
    for name in ("body", "text", "label"):  # markdown/heading/alert/text, progress, widgets and page links
        if hasattr(proto, name) and isinstance(getattr(proto, name), str):
            return getattr(proto, name)
    return ""


class ServerError(RuntimeError):
    """The websocket is closed (the server went away or refused the connection). Problems the server reports
    on a live connection (a page not found, a script that does not compile) are in ``Tab.errors()`` instead."""


@dataclass
class Tab:
    """One learner's tab: a websocket session and what its page shows. Make it with ``await Tab.open(...)``."""

    url: str                                    # http://host:port (the app's address, without a page)
    query: dict[str, str] = field(default_factory=dict)  # the address's query parameters, as the server last wrote them
    page: str = ""                              # the page's address ("" for the default page)
    follow_auto_reruns: bool = True
    shown: dict[tuple[int, ...], Shown] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # page address -> script hash, from the server
    runs_finished: int = 0
    messages: int = 0                           # ForwardMsgs received
    bytes_received: int = 0
    problems: list[str] = field(default_factory=list)  # compile errors, pages not found, a lost connection

    def __post_init__(self):
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._changed = asyncio.Event()
        self._run_id = ""                       # the script run now drawing
        self._run_fragments: tuple[str, ...] = ()
        self._starts = 0
        self._idle = True
        self._closed = False
        self._values: dict[str, tuple[str, object]] = {}  # widget key -> (WidgetState field, value) set here
        self._auto_reruns: dict[str, asyncio.Task] = {}

    # -- connecting ------------------------------------------------------------------------------------------

    @classmethod
    async def open(cls, url: str, page: str = "", query: str | dict | None = None, *, timeout: float = 60.0,
                   follow_auto_reruns: bool = True, headers: dict | None = None) -> "Tab":
        """Connect to the app at ``url`` (``http://host:port``; a path after it is the base URL, e.g. behind
        nginx) and run ``page`` as a browser opening ``url/page?query`` does. Returns when that run finished.
        ``headers`` go with the websocket's handshake (X-Real-IP, as nginx would set it, say)."""
        if isinstance(query, str):
            query = dict(urllib.parse.parse_qsl(query.lstrip("?"), keep_blank_values=True))
        tab = cls(url.rstrip("/"), dict(query or {}), page, follow_auto_reruns)
        parts = urllib.parse.urlsplit(tab.url)
        stream = urllib.parse.urlunsplit(("wss" if parts.scheme == "https" else "ws", parts.netloc,
                                          parts.path + "/_stcore/stream", "", ""))
        tab._ws = await websockets.connect(stream, subprotocols=["streamlit"], max_size=None,
                                           open_timeout=timeout, ping_interval=None, additional_headers=headers)
        tab._reader = asyncio.create_task(tab._read())
        await tab.run(page, timeout=timeout)
        return tab

    async def close(self) -> None:
        for task in self._auto_reruns.values():
            task.cancel()
        self._auto_reruns.clear()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    async def __aenter__(self) -> "Tab":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    # -- asking for runs ---------------------------------------------------------------------------------------

    async def run(self, page: str | None = None, *, timeout: float = 60.0) -> None:
        """Run a page (its address, e.g. "train"; None: the page shown), as opening it or clicking its link
        in the navigation does. Returns when the run, and any run it started with ``st.rerun()``, finished."""
        if page is not None:
            self.page = page
        await self._rerun(timeout=timeout)

    async def click(self, key: str, *, timeout: float = 60.0) -> None:
        """Click the button with user key ``key``; returns when the page is idle again."""
        widget = self.widget(key)
        state = WidgetState(id=widget.proto.id)
        setattr(state, _value_field(widget), True)
        await self._rerun([state], fragment=widget.fragment, timeout=timeout)

    async def set(self, key: str, value, *, timeout: float = 60.0) -> None:
        """Give the widget with user key ``key`` a value (a number, a bool, the option's text, a list for a
        slider's range or a multiselect), as the learner changing it does; returns when the rerun finished."""
        widget = self.widget(key)
        self._values[key] = (_value_field(widget), value)
        await self._rerun(fragment=widget.fragment, timeout=timeout)

    async def trigger(self, key: str, event: str, value=True, *, timeout: float = 60.0) -> None:
        """Send a custom component's (components v2) trigger ``event`` with ``value``, as its JavaScript's
        ``setTriggerValue`` does; returns when the rerun it starts (its fragment's, inside one) finished."""
        component = self.widget(key)
        state = WidgetState(id=f"{INTERNAL_KEY_PREFIX}_{component.proto.id}{EVENT_DELIM}events",
                            json_trigger_value=json.dumps([{"event": event, "value": value}]))
        await self._rerun([state], fragment=component.fragment, timeout=timeout)

    async def send_click(self, key: str) -> int:
        """Send a click and return at once, for many tabs clicking at the same instant; ``wait_idle`` with the
        number returned waits for the run it starts."""
        widget = self.widget(key)
        state = WidgetState(id=widget.proto.id)
        setattr(state, _value_field(widget), True)
        starts = self._starts
        await self._send([state], fragment=widget.fragment)
        return starts

    async def wait_idle(self, after_start: int | None = None, timeout: float = 60.0) -> None:
        """Wait until a run that started after the ``after_start``-th start (default: any new run) finished
        and no other run follows it."""
        first = self._starts if after_start is None else after_start
        await self.wait_for(lambda: self._starts > first and self._idle, timeout)

    async def _rerun(self, triggers=(), fragment: str = "", timeout: float = 60.0) -> None:
        starts = self._starts
        await self._send(triggers, fragment)
        await self.wait_idle(starts, timeout)

    async def _send(self, triggers=(), fragment: str = "", auto: bool = False) -> None:
        if self._closed:
            raise ServerError("the connection is closed: " + "; ".join(self.problems))
        state = ClientState(query_string=urllib.parse.urlencode(self.query), page_name=self.page,
                            page_script_hash=self.pages.get(self.page, ""), fragment_id=fragment,
                            is_auto_rerun=auto)
        state.context_info.url = self.address
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        triggered = {t.id for t in triggers}
        state.widget_states.widgets.extend(triggers)
        widgets = self.widgets()
        for key, (value_field, value) in self._values.items():
            widget = widgets.get(key)
            if widget is not None and widget.proto.id not in triggered:
                state.widget_states.widgets.append(_widget_state(widget.proto.id, value_field, value))
        self._idle = False  # until a run that starts from now on finishes
        await self._ws.send(BackMsg(rerun_script=state).SerializeToString())

    # -- reading the page --------------------------------------------------------------------------------------

    @property
    def address(self) -> str:
        """The address a browser would show now (the page, the query string)."""
        query = urllib.parse.urlencode(self.query)
        return f"{self.url}/{self.page}" + (f"?{query}" if query else "")

    def elements(self, kind: str | None = None) -> list[Shown]:
        """What the page shows, in page order (the main area, then the sidebar), optionally of one kind ("metric")."""
        found = [s for path, s in sorted(self.shown.items()) if s.element is not None]
        return [s for s in found if kind is None or s.kind == kind]

    def texts(self) -> list[str]:
        return [s.text for s in self.elements() if s.text]

    def find(self, pattern: str) -> str | None:
        """The first match of ``pattern`` in an element's text: its first group if it has one, else the match."""
        regex = re.compile(pattern)
        for text in self.texts():
            found = regex.search(text)
            if found:
                return found.group(1) if regex.groups else found.group(0)
        return None

    def metric(self, label: str) -> str | None:
        """The value of the first metric whose label is ``label``."""
        return next((s.proto.body for s in self.elements("metric") if s.proto.label == label), None)

    def widgets(self) -> dict[str, Shown]:
        """The widgets with a user key on the page, by key."""
        return {s.widget_key: s for s in self.elements() if s.widget_key}

    def widget(self, key: str) -> Shown:
        found = self.widgets().get(key)
        if found is None:
            raise KeyError(f"no widget with key {key!r} on page {self.page!r}; keys: {sorted(self.widgets())}")
        return found

    def errors(self) -> list[str]:
        """What went wrong, as the learner would see it: exceptions, ``st.error`` boxes, and the client's own
        problems (compile errors, page not found, lost connection)."""
        shown = [s.text for s in self.elements("exception")]
        shown += [s.text for s in self.elements("alert") if s.proto.format == Alert.ERROR]
        return shown + self.problems

    # -- receiving ---------------------------------------------------------------------------------------------

    async def wait_for(self, done, timeout: float = 60.0) -> None:
        """Wait until ``done()`` is true, checking it after every message received (e.g. ``lambda: tab.messages
        > seen`` for the server's first answer)."""
        deadline = time.monotonic() + timeout
        while not done():
            if self._closed:
                raise ServerError("the connection closed: " + "; ".join(self.problems))
            changed = self._changed
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"waited {timeout:g} s in vain on page {self.page!r}")
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    async def _read(self) -> None:
        try:
            async for raw in self._ws:
                self.messages += 1
                self.bytes_received += len(raw)
                self._receive(ForwardMsg.FromString(raw))
                self._changed.set()
                self._changed = asyncio.Event()
        except websockets.ConnectionClosed as closed:
            self.problems.append(f"connection closed ({closed})")
        finally:
            if not self._closed and self._ws.close_code not in (None, 1000):
                self.problems.append(f"connection closed with code {self._ws.close_code}")
            self._closed = True
            self._changed.set()

    def _receive(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":  # a script run starts (also a fragment's)
            self._starts += 1
            self._idle = False
            self._run_id = msg.metadata.run.script_run_id
            self._run_fragments = tuple(msg.metadata.run.fragment_ids)
            if not self._run_fragments:  # a full run: the browser forgets the last run's timers
                for task in self._auto_reruns.values():
                    task.cancel()
                self._auto_reruns.clear()
            for page in msg.new_session.app_pages:  # the pages/ folder's pages, before st.navigation runs
                self.pages.setdefault(page.url_pathname, page.page_script_hash)
        elif kind == "navigation":  # st.navigation's pages
            self.pages.update({p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages})
        elif kind == "delta":
            self._draw(msg)
        elif kind == "page_info_changed":
            self.query = dict(urllib.parse.parse_qsl(msg.page_info_changed.query_string, keep_blank_values=True))
        elif kind == "script_finished":
            if msg.script_finished != EARLY_FOR_RERUN:
                self._forget_stale(msg.metadata.run.script_run_id or self._run_id)
                self.runs_finished += 1
                self._idle = True
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            self.problems.append("script compilation error: " + msg.session_event.script_compilation_exception.message)
        elif kind == "page_not_found":
            self.problems.append(f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "auto_rerun" and self.follow_auto_reruns:
            fragment = msg.auto_rerun.fragment_id
            if fragment in self._auto_reruns:
                self._auto_reruns[fragment].cancel()
            self._auto_reruns[fragment] = asyncio.create_task(self._auto_rerun(msg.auto_rerun.interval, fragment))
        elif kind == "stop_auto_rerun":
            for fragment in msg.stop_auto_rerun.fragment_ids:
                task = self._auto_reruns.pop(fragment, None)
                if task:
                    task.cancel()
        elif kind == "ref_hash":
            self.problems.append("the server sent a cached message by reference (this client caches none)")

    def _draw(self, msg: ForwardMsg) -> None:
        delta, path = msg.delta, tuple(msg.metadata.delta_path)
        if delta.HasField("new_element"):
            self.shown[path] = Shown(path, delta.new_element, self._run_id, delta.fragment_id)
        elif delta.HasField("add_block"):
            self.shown[path] = Shown(path, None, self._run_id, delta.fragment_id)
        # new_transient (toasts and the like) is not kept

    def _forget_stale(self, run_id: str) -> None:
        """What a finished run did not draw again goes, as in the browser; after a fragment's run, only what
        that fragment drew before."""
        fragments = set(self._run_fragments)
        for path, shown in list(self.shown.items()):
            if shown.run != run_id and (not fragments or shown.fragment in fragments):
                del self.shown[path]

    async def _auto_rerun(self, interval: float, fragment: str) -> None:
        while True:
            await asyncio.sleep(interval)
            if self._idle and not self._closed:  # the browser, too, waits for the page to be idle
                await self._send(fragment=fragment, auto=True)


def _value_field(widget: Shown) -> str:
    if widget.kind == "slider" and widget.proto.type == Slider.SELECT_SLIDER:
        return "string_array_value"
    try:
        return VALUE_FIELDS[widget.kind]
    except KeyError:
        raise NotImplementedError(f"this client cannot set a {widget.kind} widget ({widget.widget_key})") from None


def _widget_state(widget_id: str, value_field: str, value) -> WidgetState:
    state = WidgetState(id=widget_id)
    if value_field.endswith("_array_value"):
        getattr(state, value_field).data.extend(value if isinstance(value, (list, tuple)) else [value])
    else:
        setattr(state, value_field, value)
    return state
