"""A real Streamlit server and a real Chromium, for the browser tests and the benchmarks.

Debian's Chromium at /usr/bin/chromium, driven by Playwright (never
``playwright install``: it downloads a browser).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", "--no-first-run"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int | None = None, *extra: str, env: dict | None = None,
                 address: str | None = "127.0.0.1", script: str | None = None) -> tuple[subprocess.Popen, str]:
    """``streamlit run app.py`` (or ``script``) on a free loopback port; returns the process and its URL
    once it answers. ``address=None`` leaves the listening address to the repository's .streamlit/config.toml.
    """
    port = port or free_port()
    command = [sys.executable, "-m", "streamlit", "run", script or str(ROOT / "app.py"), "--server.port", str(port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none", *extra]
    if address is not None:
        command += ["--server.address", address]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited: {process.stderr.read().decode()[-2000:]}")
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).status == 200:
                return process, url
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("streamlit did not answer within 60 s")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def server(*extra: str, env: dict | None = None):
    process, url = start_server(None, *extra, env=env)
    try:
        yield process, url
    finally:
        stop_server(process)


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_idle(page, timeout: float = 60.0, quiet: float = 1.0) -> None:
    """Wait until the app has finished running its script and stayed so for ``quiet`` seconds.

    The running indicator only shows after 0.5 s, so only a long enough quiet
    spell proves the page is done.
    """
    deadline = time.monotonic() + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        if page.locator(IDLE).count():
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= quiet:
                return
        else:
            quiet_since = None
        time.sleep(0.05)
    raise TimeoutError("the app kept running")


def resident_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of a process from /proc (VmHWM: its peak so far)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise ValueError(field)


def child_pids(pid: int) -> list[int]:
    """The direct children of a process (the app's Keras worker, for the server)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
