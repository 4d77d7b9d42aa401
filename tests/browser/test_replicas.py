"""Beyond one server: nginx in front of two Streamlit replicas sharing one PostgreSQL (deploy/start.sh).

Each browser stays on one replica (the ``penguin_replica`` cookie: its page loads and its websocket go
to the same server); when that replica dies mid-class, nginx sends the browser to a live one, whose
session finds the learner's lab in the shared database through the ``?lab=`` key of the address.

The helpers are meant for other tests of the set (a classroom board, say):

    servers = ...                                    # the module's `servers` fixture, or `with class_servers()`
    alice = open_learner(chromium, servers, replica=1)   # pinned to replica 1 by the affinity cookie
    answer_the_neuron(alice, "1.25"); train(alice)
    servers.kill(1)                                  # the replica's whole process group, SIGKILL
    wait_for_replica(alice, 2)                       # her websocket is back, on replica 2
    servers.start()                                  # deploy/start.sh again: replica 1 comes back
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.harness import ROOT, free_port, wait_idle
from tests.browser.test_e2e import assert_clean, go, metric

START = ROOT / "deploy" / "start.sh"
SCREENSHOTS = ROOT / "tests" / "screenshots"
COOKIE = "penguin_replica"


# --- the set: PostgreSQL, replicas, nginx -----------------------------------------------------------------

@dataclass
class ClassServers:
    """A running set started by deploy/start.sh in a folder of its own."""

    address: str  # nginx: what learners open
    run_dir: Path
    replica_ports: list[int]
    command: list[str]  # deploy/start.sh with this set's folder and ports

    def start(self) -> None:
        """deploy/start.sh again: starts whatever is not running (a killed replica), leaves the rest."""
        _run_start(self.command)

    def pid(self, replica: int) -> int:
        """The process (and process group) of replica ``replica`` (1, 2, ...)."""
        return int((self.run_dir / f"replica-{replica}.pid").read_text().split()[0])

    @property
    def database_url(self) -> str:
        """The replicas' PENGUIN_DATABASE_URL (PostgreSQL, with its password)."""
        return (self.run_dir / "database.url").read_text().strip()

    def kill(self, replica: int) -> None:
        """A replica dies at once: SIGKILL to its process group (the server and its helper processes)."""
        pid = self.pid(replica)
        os.killpg(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(pid), f"replica {replica} (pid {pid}) is still running"

    def access_log(self) -> str:
        """nginx's log: one line a request, with the cookie it came with and the replica that answered."""
        return (self.run_dir / "nginx" / "access.log").read_text()


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _free_port_run(count: int) -> int:
    """The first of ``count`` consecutive free loopback ports."""
    for _ in range(50):
        first = free_port()
        if first + count > 65535:
            continue
        with contextlib.ExitStack() as probes:
            try:
                for port in range(first, first + count):
                    probes.enter_context(socket.socket()).bind(("127.0.0.1", port))
            except OSError:
                continue
        return first
    raise RuntimeError(f"no {count} consecutive free ports")


def _run_start(command: list[str]) -> None:
    started = subprocess.run(command, env={**os.environ, "PENGUIN_PYTHON": os.path.realpath(sys.executable)},
                             capture_output=True, text=True, timeout=600)
    if started.returncode != 0:
        if not (shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK)):
            pytest.skip("nginx is not installed and deploy/start.sh could not install it "
                        f"(apt-get install nginx): {started.stderr.strip()[-500:]}")
        raise RuntimeError(f"deploy/start.sh failed:\n{started.stdout}\n{started.stderr}")


@contextlib.contextmanager
def class_servers(replicas: int = 2):
    """deploy/start.sh on free loopback ports, in a temporary folder; everything stopped afterwards.

    Skips only when nginx is missing and start.sh could not install it (that needs root and Debian's
    packages); tests/run.sh installs it, so on CI this runs."""
    run_dir = Path(tempfile.mkdtemp(prefix="penguin-deploy-"))
    run_dir.chmod(0o755)  # PostgreSQL and nginx run as their own users when the tests run as root
    port, replica_port, db_port = free_port(), _free_port_run(replicas), free_port()
    command = ["bash", str(START), "start", "--dir", str(run_dir), "--replicas", str(replicas),
               "--port", str(port), "--replica-port", str(replica_port), "--db-port", str(db_port)]
    try:
        _run_start(command)
        yield ClassServers(f"http://127.0.0.1:{port}", run_dir, [replica_port + i for i in range(replicas)],
                           command)
    finally:
        subprocess.run(["bash", str(START), "stop", "--dir", str(run_dir)], capture_output=True, timeout=120)
        shutil.rmtree(run_dir, ignore_errors=True)


# --- learners -------------------------------------------------------------------------------------------

@dataclass
class Learner:
    """One learner's browser (a context of its own), and which replica answered it."""

    page: object
    pages: list[str] = field(default_factory=list)  # X-Penguin-Replica of every page load
    streams: list[str] = field(default_factory=list)  # ... of every websocket handshake (/_stcore/stream)

    @property
    def replica(self) -> int:
        """The replica the session is on now: the one that took its latest websocket."""
        return int(self.streams[-1])

    @property
    def cookie(self) -> str | None:
        return next((c["value"] for c in self.page.context.cookies() if c["name"] == COOKIE), None)

    @property
    def lab_key(self) -> str:
        return self.page.url.split("lab=", 1)[1].split("&", 1)[0]


def open_learner(browser, servers: ClassServers, replica: int | None = None, path: str = "") -> Learner:
    """A new learner opens the class's address (``path``: a page and/or a query); ``replica`` pins them
    there with the affinity cookie, as if nginx had sent them there on an earlier visit."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    if replica is not None:
        context.add_cookies([{"name": COOKIE, "value": str(replica), "url": servers.address}])
    page = context.new_page()
    learner = Learner(page)
    page.on("response", lambda response: response.request.resource_type == "document"
            and learner.pages.append(response.headers.get("x-penguin-replica")))
    sockets: dict[str, str] = {}  # Chromium's request id -> address
    cdp = context.new_cdp_session(page)  # Playwright does not show a websocket's handshake headers
    cdp.send("Network.enable")
    cdp.on("Network.webSocketCreated", lambda event: sockets.__setitem__(event["requestId"], event["url"]))
    cdp.on("Network.webSocketHandshakeResponseReceived", lambda event: "/_stcore/stream" in sockets.get(
        event["requestId"], "") and learner.streams.append(_header(event["response"]["headers"], "x-penguin-replica")))
    page.goto(f"{servers.address}/{path}")
    wait_idle(page)
    return learner


def _header(headers: dict, name: str) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == name), None)


def wait_for_replica(learner: Learner, replica: int, timeout: float = 60) -> None:
    """Wait until the learner's page has reconnected, to ``replica``, and is idle."""
    deadline = time.monotonic() + timeout
    while not (learner.streams and learner.replica == replica):
        assert time.monotonic() < deadline, f"no websocket to replica {replica}: saw {learner.streams}"
        learner.page.wait_for_timeout(100)  # lets Playwright deliver the browser's events
    wait_idle(learner.page)


def start_class(teacher: Learner) -> tuple[str, str]:
    """Start a class on the Classroom page; returns its code and the instructor's board address."""
    page = teacher.page
    page.get_by_text("Start a class (for an instructor)").click()
    page.get_by_label("Name of the class").fill("Replicas")
    page.get_by_role("button", name="Start the class").click()
    wait_idle(page)
    page.get_by_text("Show my instructor link").click()  # on demand: not shown to a projected room
    wait_idle(page)
    board = re.search(r"\S*/instructor\?\S+", page.get_by_test_id("stCode").last.inner_text()).group(0)
    return re.search(r"class=(\w+)", board).group(1), board


def join_class(learner: Learner, code: str, name: str) -> None:
    page = learner.page
    go(page, "classroom")
    page.get_by_label("Class code").fill(code)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join the class").click()
    wait_idle(page)
    expect(page.get_by_text("You are in")).to_be_visible()


def train(learner: Learner) -> str:
    """Train the lab's settings on the Train page; returns the run's weights fingerprint."""
    page = learner.page
    go(page, "train")
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text("Weights fingerprint").wait_for(timeout=60_000)
    wait_idle(page)
    return page.get_by_text("Weights fingerprint").inner_text().split()[2]


def answer_the_neuron(learner: Learner, answer: str) -> None:
    page = learner.page
    go(page, "neuron")
    box = page.get_by_label("Your answer")
    box.fill(answer)
    box.press("Enter")
    wait_idle(page)


def upload_to_predict(learner: Learner, path: Path) -> tuple[int, str | None]:
    """Upload a file on the Predict page; returns the upload's HTTP status and the replica that took it."""
    page = learner.page
    go(page, "predict")
    with page.expect_response(lambda r: "/_stcore/upload_file/" in r.url and r.request.method == "PUT") as upload:
        page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(path))
    wait_idle(page)
    return upload.value.status, upload.value.headers.get("x-penguin-replica")


def assert_run(learner: Learner, run_fingerprint: str, epochs: str) -> None:
    """On the Train page: the learner's one run, with its weights."""
    page = learner.page
    if "/train" not in page.url:
        go(page, "train")
    expect(page.get_by_text(f"Weights fingerprint {run_fingerprint}")).to_be_visible()
    expect(page.get_by_role("heading", name="Run history (1 run): tune and compare")).to_be_visible()
    assert metric(page, "Epochs") == epochs
    assert "Current model: run 1" in page.get_by_test_id("stSidebar").inner_text()
    assert_clean(page)


def assert_answer(learner: Learner, answer: str, feedback: str) -> None:
    """On the "A neuron" page: the learner's answer, and what the lab said of it."""
    page = learner.page
    if "/neuron" not in page.url:
        go(page, "neuron")
    expect(page.get_by_label("Your answer")).to_have_value(answer)
    expect(page.get_by_text(feedback)).to_be_visible()
    assert_clean(page)


def screenshot(learner: Learner, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    learner.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# --- the tests -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def servers():
    with class_servers() as running:
        yield running


def test_a_replica_dies_mid_class_and_its_learners_lose_nothing(chromium, servers, tmp_path):
    # Two learners, each pinned to a replica: the page and its websocket reach that replica.
    alice = open_learner(chromium, servers, replica=1)
    bob = open_learner(chromium, servers, replica=2, path="?epochs=30")  # a link with settings
    assert (alice.pages, alice.streams, alice.cookie) == (["1"], ["1"], "1")
    assert (bob.pages, bob.streams, bob.cookie) == (["2"], ["2"], "2")

    # The instructor starts a class on replica 2; Alice (replica 1) and Bob (replica 2) join it.
    teacher = open_learner(chromium, servers, replica=2, path="classroom")
    code, board = start_class(teacher)
    for learner, name in ((alice, "Alice"), (bob, "Bob")):
        join_class(learner, code, name)
    answer_the_neuron(alice, "1.25")
    answer_the_neuron(bob, "2")
    alice_run, bob_run = train(alice), train(bob)
    # One board: Alice's posts, made on replica 1, are on the instructor's view on replica 2.
    teacher.page.goto(board)
    expect(teacher.page.get_by_text("2 answered, 1 right")).to_be_visible(timeout=10_000)
    expect(teacher.page.get_by_test_id("stMetric").filter(has_text="Runs posted")).to_contain_text("2")
    assert metric(bob.page, "Epochs") == "30/30"
    assert alice.lab_key != bob.lab_key and (alice.replica, bob.replica) == (1, 2)
    # An upload (an HTTP request with Streamlit's XSRF token) reaches the replica holding the session.
    (tmp_path / "notes.keras").write_bytes(b"not a model")
    assert upload_to_predict(bob, tmp_path / "notes.keras") == (204, "2")
    expect(bob.page.get_by_text("notes.keras was not loaded")).to_have_count(1)  # the session read it
    key = alice.lab_key

    servers.kill(1)  # mid-class: replica 1 and its helpers are gone, its sessions with them

    # Alice's page reconnects by itself, through nginx, to replica 2, and her cookie now names replica 2.
    wait_for_replica(alice, 2)
    assert alice.cookie == "2"
    # A reload (the same address, the same ?lab= key): replica 2 opens her lab from the database.
    alice.page.reload()
    wait_idle(alice.page)
    assert alice.pages[-1] == "2" and alice.replica == 2 and alice.lab_key == key
    assert_run(alice, alice_run, "100/100")
    assert_answer(alice, "1.25", "Correct!")
    screenshot(alice, "replicas_alice_after_failover")

    # The board lost nothing: still both answers and both runs, read by replica 2 from the database.
    teacher.page.reload()
    wait_idle(teacher.page)
    expect(teacher.page.get_by_text("2 answered, 1 right")).to_be_visible(timeout=10_000)
    expect(teacher.page.get_by_test_id("stMetric").filter(has_text="Runs posted")).to_contain_text("2")
    expect(teacher.page.get_by_text("Alice")).not_to_have_count(0)

    # Bob noticed nothing: one websocket all along, to replica 2, and his own lab.
    assert_run(bob, bob_run, "30/30")
    assert_answer(bob, "2", "Not quite")
    assert bob.streams == ["2"]

    # nginx's log agrees: Alice's requests after the kill asked for replica 1, found it refusing and
    # were answered by replica 2.
    failed_over = [line for line in servers.access_log().splitlines()
                   if "cookie=1" in line and f":{servers.replica_ports[0]}, " in line]
    assert failed_over and all("served=2" in line for line in failed_over)


def test_after_a_failover_a_page_switch_keeps_the_lab(chromium, servers):
    """The page is rerun on the replica that took it over (app.py's heartbeat fragment), with its address."""
    servers.start()  # deploy/start.sh again: replica 1 back if the test above killed it, the rest as it was
    carol = open_learner(chromium, servers, replica=1)
    answer_the_neuron(carol, "1.25")
    key = carol.lab_key
    servers.kill(1)
    wait_for_replica(carol, 2)
    go(carol.page, "train")  # the learner's first click after the failover: another page
    assert carol.lab_key == key
    assert_answer(carol, "1.25", "Correct!")


def _stream(servers: ClassServers, source: str) -> tuple[socket.socket, int]:
    """A websocket handshake to nginx's /_stcore/stream from loopback address ``source``; the socket (held
    open) and the HTTP status nginx answered."""
    host, port = servers.address.removeprefix("http://").split(":")
    connection = socket.create_connection((host, int(port)), timeout=20, source_address=(source, 0))
    connection.sendall((f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n\r\n").encode())
    status = connection.recv(64).split(b" ", 2)[1]
    return connection, int(status)


def _get(servers: ClassServers, path: str, source: str) -> int:
    host, port = servers.address.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20, source_address=(source, 0)) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
        return int(connection.recv(64).split(b" ", 2)[1])


def test_one_address_holding_hundreds_of_websockets_leaves_others_served(servers):
    """Issue 22: one client holding about 506 idle websockets made every new visitor get HTTP 500 (nginx out
    of files). One address now holds at most 300 connections; other addresses are served; and Streamlit's
    metrics are not public."""
    held, refused = [], 0
    try:
        for _ in range(340):
            connection, status = _stream(servers, "127.0.0.1")
            if status == 101:
                held.append(connection)
            else:
                refused += 1
                connection.close()
        assert len(held) <= 300 and refused >= 40, (len(held), refused)
        assert _get(servers, "/_stcore/health", "127.0.0.2") == 200  # another address, at the same time
        connection, status = _stream(servers, "127.0.0.3")
        connection.close()
        assert status == 101
    finally:
        for connection in held:
            connection.close()
    assert _get(servers, "/_stcore/metrics", "127.0.0.2") == 404
    assert "Too many open files" not in (servers.run_dir / "nginx" / "error.log").read_text()
