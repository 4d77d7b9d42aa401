"""A class on one server, without browsers: learners as websocket clients (benchmarks/stclient.py).

    python benchmarks/classroom_ws.py [--learners 30] [--warmup 3] [--url http://host:port [--server-pid PID]]

Starts ``streamlit run app.py`` on a free loopback port with a fresh SQLite
store (or uses ``--url``: a running server or nginx; give ``--server-pid`` to
see its CPU and memory). Unlike benchmarks/classroom.py, no browser draws
anything, so the figures are the server's (plus this client's small share of
the same cores, printed too).

Phases, each action timed per learner (p50, p95, max) with its errors:

  warm-up  one learner at a time opens the Train page and clicks Train (the first
           click on a fresh server is cold): the figure a class is compared with;
  join     ``--learners`` learners open the app at the same instant, then the Train page;
  train    all click Train at the same instant; a click's time runs until the page
           shows the result (the click's run, and any run it started, finished; the
           test accuracy and the weights fingerprint on the page). Every learner must
           get exactly the run trained alone: the lesson's settings, seed 2, the
           fingerprint computed here with penguin_core.training.train;
  classroom  an instructor starts a class and opens the board; the learners join it (before training, so their
             runs are posted to it), answer the neuron exercise and raise a sticky note at the same instant; each
             post's time until the instructor's board (refreshing itself) counts it (target p95 <= 1 s, 0 lost).

  actions  every learner does the same thing at the same instant, one thing after another: open the Predict
           page, move a slider, open the Playground, ask it to train (Play past the epochs the browser has),
           let its views come to rest, click a penguin; the server's CPU seconds a learner for each.

Targets: 0 errors; all learners clicking Train at once: p95 click -> result <= 1 s; the server's CPU a Train
click <= 0.03 s (30 learners in one second of one core), a Predict slider <= 0.02 s, a Playground action
<= 0.03 s, a page switch <= 0.1 s.

The expected fingerprint is computed in this process, so with ``--url`` to another computer it holds only if
that computer computes with the same arithmetic kernels (README, "Reproducible, and what that means").
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from benchmarks.stclient import Tab  # noqa: E402
from penguin_core.training import train  # noqa: E402
from penguin_core.model import ModelSpec  # noqa: E402
from penguin_core.preparation import DataSpec, prepare  # noqa: E402
from tests.browser.harness import child_pids, cpu_seconds, resident_mb, start_server, stop_server  # noqa: E402

TARGET_P95 = 1.0  # seconds from click to result, all learners clicking Train at once
CPU_TARGETS = {"train": 0.03, "predict": 0.02, "playground": 0.03, "page": 0.1}
"""The server's CPU seconds a learner's action may cost (a Train click: 30 learners in one second of one core)."""
FINGERPRINT = r"Weights fingerprint \*\*([0-9a-f]{8})\*\*"
TRAIN_PAGE = "train"


# -- what is measured ------------------------------------------------------------------------------------------


@dataclass
class Figures:
    """One action done by many learners: each one's seconds, and what went wrong."""

    action: str
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def quantile(self, q: float) -> float:
        if not self.seconds:
            return float("nan")
        ordered = sorted(self.seconds)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]  # nearest rank: p95 of 30 is the 29th

    def line(self, target: str = "") -> str:
        p50 = statistics.median(self.seconds) if self.seconds else float("nan")
        figures = (f"{self.action:<42} n={len(self.seconds):<3} p50 {p50:6.2f} s  p95 {self.quantile(0.95):6.2f} s  "
                   f"max {max(self.seconds, default=float('nan')):6.2f} s  errors {len(self.errors)}")
        return figures + (f"   (target: {target})" if target else "")


class Server:
    """The server's process and its children (the Keras worker): CPU seconds, and resident memory sampled
    every 50 ms so the peak during a phase is seen. Without a pid (``--url`` alone) it reports nothing."""

    def __init__(self, pid: int | None):
        self.pid = pid
        self.peak_mb = self.peak_worker_mb = 0.0
        self._stop = threading.Event()
        if pid is not None:
            threading.Thread(target=self._sample, daemon=True).start()

    def cpu(self) -> tuple[float, float]:
        """CPU seconds so far of the server and of its live children."""
        if self.pid is None:
            return float("nan"), float("nan")
        return cpu_seconds(self.pid), sum(_quiet(cpu_seconds, child) for child in child_pids(self.pid))

    async def settle(self, quiet: float = 0.05, longest: float = 90.0) -> float:
        """Wait until the server and its children use less than ``quiet`` of a core over a second (the Keras
        worker imports TensorFlow in the background after the first page); returns the seconds waited."""
        began = time.monotonic()
        while self.pid is not None and time.monotonic() - began < longest:
            before = sum(self.cpu())
            await asyncio.sleep(1.0)
            if sum(self.cpu()) - before < quiet:
                break
        return time.monotonic() - began

    def resident(self) -> float:
        return resident_mb(self.pid) if self.pid is not None else float("nan")

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            try:
                self.peak_mb = max(self.peak_mb, resident_mb(self.pid))
                self.peak_worker_mb = max(self.peak_worker_mb,
                                          sum(_quiet(resident_mb, child) for child in child_pids(self.pid)))
            except (OSError, ValueError):  # the server is gone
                return

    def stop(self) -> None:
        self._stop.set()


def _quiet(measure, pid: int) -> float:
    try:
        return measure(pid)
    except (OSError, ValueError):  # a child that just ended
        return 0.0


@dataclass
class Phase:
    """A phase's figures, and the CPU the server (and this client) spent on it."""

    name: str
    figures: list[tuple[Figures, str]] = field(default_factory=list)  # (figures, target)
    server_cpu: float = 0.0
    worker_cpu: float = 0.0
    client_cpu: float = 0.0
    wall: float = 0.0
    notes: list[str] = field(default_factory=list)


async def measured(name: str, server: Server, body) -> Phase:
    """Run ``body(phase)`` and charge the server's and this process's CPU time to the phase."""
    phase = Phase(name)
    (server_before, worker_before), client_before, wall_before = server.cpu(), time.process_time(), time.monotonic()
    await body(phase)
    server_after, worker_after = server.cpu()
    phase.server_cpu, phase.worker_cpu = server_after - server_before, worker_after - worker_before
    phase.client_cpu, phase.wall = time.process_time() - client_before, time.monotonic() - wall_before
    return phase


async def at_once(learners: list, action, name: str) -> Figures:
    """``action(learner)`` for every learner (a Tab, or anything ``action`` takes), all released at the same
    instant; each one's time from its release until ``action`` returns. An exception, or errors on the page
    afterwards (of the learner's Tab, or of the Tab ``action`` returns), is that learner's error."""
    figures, start = Figures(name), asyncio.Event()

    async def one(i: int, learner):
        await start.wait()
        began = time.monotonic()
        try:
            returned = await action(learner)
        except Exception as error:  # noqa: BLE001 - a learner's failure is a figure, not the end of the run
            figures.errors.append(f"learner {i}: {type(error).__name__}: {error}")
            return
        figures.seconds.append(time.monotonic() - began)
        tab = returned if isinstance(returned, Tab) else learner
        if isinstance(tab, Tab) and tab.errors():
            figures.errors.append(f"learner {i}: " + "; ".join(tab.errors()))

    tasks = [asyncio.create_task(one(i, learner)) for i, learner in enumerate(learners)]
    await asyncio.sleep(0)  # every task waits at the barrier
    start.set()
    await asyncio.gather(*tasks)
    return figures


# -- the lesson's run ------------------------------------------------------------------------------------------


def expected() -> dict:
    """The lesson's run (its settings, seed 2) trained alone in this process: what every learner must see."""
    run = train(prepare(DataSpec()), ModelSpec())
    return {"fingerprint": run.network.fingerprint(), "accuracy": f"{run.test_metrics['accuracy']:.1%}"}


def result(tab: Tab) -> dict | None:
    """The run the Train page shows, once it shows one."""
    fingerprint, accuracy = tab.find(FINGERPRINT), tab.metric("Test accuracy")
    return {"fingerprint": fingerprint, "accuracy": accuracy} if fingerprint and accuracy else None


async def click_train(tab: Tab, timeout: float) -> float:
    """Click Train and wait until the page shows the result; returns the seconds until the server's first
    answer to the click (the "waiting"/progress message a learner sees first)."""
    seen, began = tab.messages, time.monotonic()
    ticket = await tab.send_click("train_button")
    await tab.wait_for(lambda: tab.messages > seen, timeout)
    first = time.monotonic() - began
    await tab.wait_idle(ticket, timeout)
    if result(tab) is None:
        raise AssertionError("the run ended without a result on the page: " + " | ".join(tab.texts()[-5:]))
    return first


def check(tabs: list[Tab], want: dict, figures: Figures) -> int:
    """How many tabs show exactly ``want``; a tab that shows another run is an error."""
    matches = 0
    for i, tab in enumerate(tabs):
        got = result(tab)
        if got == want:
            matches += 1
        elif got is not None:
            figures.errors.append(f"learner {i}: shows {got}, trained alone it is {want}")
    return matches


# -- the phases ------------------------------------------------------------------------------------------------


async def warmup_phase(url: str, server: Server, learners: int, want: dict, timeout: float) -> Phase:
    """One learner at a time, each in a fresh tab: open the Train page, click Train. The first is cold."""

    async def body(phase: Phase) -> None:
        clicks = Figures("click Train -> result (alone, warm)")
        for i in range(learners):
            tab = await Tab.open(url, TRAIN_PAGE, timeout=timeout)
            try:
                began = time.monotonic()
                await click_train(tab, timeout)
                seconds = time.monotonic() - began
                if i == 0:
                    phase.notes.append(f"first click of this benchmark (cold on a fresh server): {seconds:.2f} s")
                else:
                    clicks.seconds.append(seconds)
                if result(tab) != want:
                    clicks.errors.append(f"warm-up {i}: shows {result(tab)}, trained alone it is {want}")
            finally:
                await tab.close()
        phase.figures.append((clicks, ""))

    return await measured("warm-up: one learner alone", server, body)


async def join_phase(url: str, server: Server, learners: int, timeout: float) -> tuple[Phase, list[Tab]]:
    """Every learner opens the app at the same instant (a fresh lab each), then the Train page."""
    tabs: list[Tab | None] = [None] * learners

    async def body(phase: Phase) -> None:
        async def open_app(i):
            tabs[i] = await Tab.open(url, timeout=timeout)
            return tabs[i]

        opening = await at_once(list(range(learners)), open_app, "open the app (start page, new lab)")
        opened = [tab for tab in tabs if tab is not None]
        train_page = await at_once(opened, lambda tab: tab.run(TRAIN_PAGE, timeout=timeout), "open the Train page")
        phase.figures += [(opening, "0 errors"), (train_page, "0 errors")]

    phase = await measured(f"join: {learners} learners at the same instant", server, body)
    return phase, [tab for tab in tabs if tab is not None]


async def train_phase(tabs: list[Tab], server: Server, want: dict, timeout: float) -> Phase:
    """Every learner clicks Train at the same instant; each one's time until the page shows the result."""

    async def body(phase: Phase) -> None:
        first_answers = []

        async def click(tab):
            first_answers.append(await click_train(tab, timeout))

        clicks = await at_once(tabs, click, "click Train -> result")
        first = Figures("click Train -> server's first answer", first_answers)
        matches = check(tabs, want, clicks)
        phase.notes.append(f"{matches}/{len(tabs)} learners got exactly the run trained alone "
                           f"(fingerprint {want['fingerprint']}, test accuracy {want['accuracy']})")
        keys = {tab.query.get("lab") for tab in tabs} - {None}
        phase.notes.append(f"{len(keys)} different labs (keys written to the address once there is a run) "
                           f"for {len(tabs)} learners")
        phase.figures += [(clicks, f"p95 <= {TARGET_P95:g} s, 0 errors, {len(tabs)}/{len(tabs)} match"),
                          (first, "")]

    return await measured(f"train: {len(tabs)} learners click Train at the same instant", server, body)


async def start_class(url: str, timeout: float) -> tuple[Tab, str]:
    """The instructor starts a class on the Classroom page and opens the board with the instructor link."""
    starter = await Tab.open(url, "classroom", timeout=timeout)
    await starter.set("class_start_name", "Benchmark class", timeout=timeout)
    await starter.click("class_start", timeout=timeout)
    code = starter.find(r"Class (\w{6}) started")
    await starter.set("class_show_key", True, timeout=timeout)  # the instructor link shows on demand
    key = starter.find(r"teach=([\w-]+)")
    await starter.close()
    if not code or not key:
        raise AssertionError("the class did not start: " + " | ".join(starter.texts()[-5:]))
    board = await Tab.open(url, "instructor", {"class": code, "teach": key}, timeout=timeout)
    return board, code


def board_count(board: Tab, what: str) -> int:
    """A number on the instructor's board: a metric by its label ("Learners"), or a text's first group."""
    found = board.metric(what) if "(" not in what else board.find(what)
    return int(found) if found else 0


async def seen_on_the_board(board: Tab, pattern: str, finished: list[float], timeout: float) -> Figures:
    """Each post's time from its learner's page saying it was received to the instructor's board (refreshing
    itself) counting it: the k-th post is on the board once the count there reaches k."""
    figures, shown_at, deadline = Figures("post -> instructor's view"), {}, time.monotonic() + timeout
    finished = sorted(finished)
    while len(shown_at) < len(finished) and time.monotonic() < deadline:
        count = board_count(board, pattern)
        for k in range(len(shown_at) + 1, min(count, len(finished)) + 1):
            shown_at[k] = time.monotonic()
        await asyncio.sleep(0.02)
    for k, done in enumerate(finished, start=1):
        if k in shown_at:
            figures.seconds.append(max(0.0, shown_at[k] - done))
        else:
            figures.errors.append(f"post {k} never reached the board (lost)")
    return figures


async def classroom_join_phase(url: str, tabs: list[Tab], server: Server, timeout: float) -> tuple[Phase, Tab]:
    """The instructor starts a class; every learner joins it at the same instant (their runs then go to it)."""
    board: list[Tab] = []

    async def body(phase: Phase) -> None:
        instructor, code = await start_class(url, timeout)
        board.append(instructor)
        joined = await at_once(list(enumerate(tabs)), lambda pair: join_class(pair[1], code, pair[0], timeout),
                               "join the class")
        finished = [time.monotonic()] * len(tabs)
        seen = await seen_on_the_board(instructor, "Learners", finished, timeout)
        phase.figures += [(joined, "0 errors"), (seen, "")]
        counted = board_count(instructor, "Learners")
        phase.notes.append(f"class {code}: the board counts {counted} learners")

    phase = await measured(f"classroom: {len(tabs)} learners join a class", server, body)
    return phase, board[0]


async def classroom_phase(tabs: list[Tab], board: Tab, server: Server, timeout: float) -> Phase:
    """Every learner answers the neuron exercise at the same instant (two in three right), then raises a note;
    each post's way to the instructor's board, and the runs the train phase posted."""

    async def body(phase: Phase) -> None:
        finished: list[float] = []

        async def answer(pair):
            i, tab = pair
            await answer_exercise(tab, "neuron", "1.25" if i % 3 else "1.5", timeout)
            finished.append(time.monotonic())

        answers = await at_once(list(enumerate(tabs)), answer, "answer the neuron exercise")
        seen = await seen_on_the_board(board, r"(\d+) answered, \d+ right", finished, timeout)
        phase.figures += [(answers, "0 errors"), (seen, f"p95 <= {TARGET_P95:g} s, 0 lost")]
        notes: list[float] = []

        async def raise_note(tab):
            await post(tab, "help", timeout)
            notes.append(time.monotonic())

        raised = await at_once(tabs, raise_note, "raise a sticky note (I need help)")
        seen_notes = await seen_on_the_board(board, "Need help", notes, timeout)
        phase.figures += [(raised, "0 errors"), (seen_notes, f"p95 <= {TARGET_P95:g} s, 0 lost")]
        runs = board_count(board, "Runs posted")
        phase.notes.append(f"runs on the board: {runs} of {len(tabs)} learners' (posted as their training ended)")
        if runs < len(tabs):
            answers.errors.append(f"{len(tabs) - runs} learners' runs are not on the board (lost)")

    return await measured(f"classroom: {len(tabs)} learners answer and post", server, body)


async def join_class(tab: Tab, code: str, number: int, timeout: float) -> Tab:
    """Open the Classroom page and join the class ``code`` with a display name."""
    await tab.run("classroom", timeout=timeout)
    await tab.set("class_code", code, timeout=timeout)
    await tab.set("class_name", f"Learner {number + 1}", timeout=timeout)
    await tab.click("class_join", timeout=timeout)
    if not tab.find(r"(You are in)"):
        raise AssertionError("not in the class: " + " | ".join(tab.texts()[-3:]))
    await tab.run(TRAIN_PAGE, timeout=timeout)  # back where the class trains next
    return tab


async def answer_exercise(tab: Tab, question: str, answer: str, timeout: float) -> None:
    """Type ``answer`` into the exercise ``question``'s box (its page: A neuron); posted as it is checked."""
    await tab.run("neuron", timeout=timeout)
    await tab.set(f"exercise_{question}", answer, timeout=timeout)


async def post(tab: Tab, note: str, timeout: float) -> None:
    """Raise a sticky note ("done" or "help") on the Classroom page; returns once the page says it is received."""
    await tab.run("classroom", timeout=timeout)
    await tab.click(f"class_note_{note}", timeout=timeout)
    if not tab.find(r"(Your instructor sees it)"):
        raise AssertionError("the note was not received: " + " | ".join(tab.texts()[-3:]))


async def actions_phase(tabs: list[Tab], server: Server, timeout: float) -> Phase:
    """Every learner does the same action at the same instant, one action after another; each one's time and
    the server's CPU seconds a learner."""

    async def body(phase: Phase) -> None:
        async def each(name: str, kind: str, action) -> None:
            before = server.cpu()[0]
            figures = await at_once(tabs, action, name)
            cost = (server.cpu()[0] - before) / len(tabs)
            phase.figures.append((figures, "server CPU not measured (no --server-pid)" if server.pid is None else
                                  f"server CPU {cost:.3f} s a learner, target <= {CPU_TARGETS[kind]:g} s: "
                                  f"{'met' if cost <= CPU_TARGETS[kind] else 'MISSED'}"))

        await each("open the Predict page", "page", lambda tab: tab.run("predict", timeout=timeout))
        await each("Predict: move a slider", "predict",
                   lambda tab: tab.set("predict_body_mass_g", 4500.0, timeout=timeout))
        await each("open the Playground", "page", lambda tab: tab.run("playground", timeout=timeout))
        await each("Playground: train (Play past what it has)", "playground",
                   lambda tab: tab.trigger("play_view", "train", True, timeout=timeout))
        await each("Playground: its views come to rest", "playground",
                   lambda tab: tab.trigger("play_view", "shown", 50, timeout=timeout))
        await each("Playground: a penguin clicked", "playground",
                   lambda tab: tab.trigger("play_view", "chosen", 0, timeout=timeout))
        await each("open the Train page again", "page", lambda tab: tab.run(TRAIN_PAGE, timeout=timeout))

    return await measured(f"actions: {len(tabs)} learners, each action at the same instant", server, body)


# -- the report ------------------------------------------------------------------------------------------------


def report(phases: list[Phase], server: Server, learners: int, idle_mb: float, load: tuple) -> int:
    print(f"\n{learners} learners as websocket clients; machine: {os.cpu_count()} cores, load average before "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    errors = 0
    for phase in phases:
        print(f"\n{phase.name}  ({phase.wall:.1f} s)")
        for figures, target in phase.figures:
            print("  " + figures.line(target))
            errors += len(figures.errors)
            for error in figures.errors[:5]:
                print(f"      {error}")
            if len(figures.errors) > 5:
                print(f"      ... and {len(figures.errors) - 5} more")
        for note in phase.notes:
            print(f"  {note}")
        if server.pid is not None:
            share = f", {phase.server_cpu / learners:.3f} s a learner" if phase.name.startswith(("join", "train")) else ""
            print(f"  CPU seconds: server {phase.server_cpu:.2f}{share}; Keras worker {phase.worker_cpu:.2f}; "
                  f"this client {phase.client_cpu:.2f} (on the same cores)")
    if server.pid is not None:
        print(f"\nserver resident memory: {idle_mb:.0f} MB before the class, peak {server.peak_mb:.0f} MB "
              f"(since its start {resident_mb(server.pid, 'VmHWM'):.0f} MB); Keras worker peak {server.peak_worker_mb:.0f} MB")
    train = next((p for p in phases if p.name.startswith("train")), None)
    if train is not None:
        clicks = train.figures[0][0]
        p95 = clicks.quantile(0.95)
        print(f"\ntargets: errors {errors} (target 0) {'met' if errors == 0 else 'MISSED'}; "
              f"p95 click -> result {p95:.2f} s (target <= {TARGET_P95:g} s) {'met' if p95 <= TARGET_P95 else 'MISSED'}")
        if server.pid is not None:
            cost = train.server_cpu / learners
            print(f"server CPU a Train click {cost:.3f} s (target <= {CPU_TARGETS['train']:g} s) "
                  f"{'met' if cost <= CPU_TARGETS['train'] else 'MISSED'}")
    return 1 if errors else 0


async def main_async(args) -> int:
    want = expected()
    print(f"the lesson's run trained alone here: fingerprint {want['fingerprint']}, test accuracy {want['accuracy']}")
    load = os.getloadavg()
    process, scratch = None, tempfile.TemporaryDirectory(prefix="classroom_ws_")
    if args.url:
        url, pid = args.url, args.server_pid
    else:  # a store of its own: the learners' labs never mix with a real one
        store = Path(scratch.name) / "lab.sqlite3"
        process, url = start_server(env={"PENGUIN_DATABASE_URL": f"sqlite:///{store}"})
        pid = process.pid
    server = Server(pid)
    try:
        # One tab stays open throughout, like the instructor's: when a server's last session closes, Streamlit
        # forgets its compiled scripts and the next page open compiles app.py and the page again.
        anchor = await Tab.open(url, timeout=args.timeout)
        if pid is not None:  # the app's first page starts the Keras worker: let it load before measuring
            print(f"the server settled (its Keras worker loaded) in {await server.settle():.1f} s")
        phases = [await warmup_phase(url, server, args.warmup, want, args.timeout)]
        idle_mb = server.resident()
        join, tabs = await join_phase(url, server, args.learners, args.timeout)
        tabs_to_close = list(tabs)
        phases.append(join)
        try:
            if tabs:
                joined, board = await classroom_join_phase(url, tabs, server, args.timeout)
                tabs_to_close.append(board)
                phases.append(joined)
                phases.append(await train_phase(tabs, server, want, args.timeout))
                phases.append(await classroom_phase(tabs, board, server, args.timeout))
                phases.append(await actions_phase(tabs, server, args.timeout))
        finally:
            await asyncio.gather(anchor.close(), *(tab.close() for tab in tabs_to_close), return_exceptions=True)
        return report(phases, server, args.learners, idle_mb, load)
    finally:
        server.stop()
        if process is not None:
            stop_server(process)
        scratch.cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3, help="single clicks before the class (the first is cold)")
    parser.add_argument("--url", help="an app already running (http://host:port, or nginx's address)")
    parser.add_argument("--server-pid", type=int, help="with --url: the server's pid, for its CPU and memory")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds allowed for each learner's action")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
