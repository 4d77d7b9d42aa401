"""A long-lived helper process that answers calls one at a time, each within a time and a memory limit.

The server sends ``(task, args)`` and reads ``(status, value)`` back (pickles:
both ends are this program, and the worker only ever receives values the
server made). While a call runs, the server watches the clock and the
worker's resident memory; past either limit, or if the worker dies, it is
killed, started again at once, and the caller gets a PenguinError it can
show. Calls wait for the worker at most ``wait_seconds``, so one learner's
slow call delays the others by a bounded time, never indefinitely.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from penguin_core.errors import PenguinError

ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger(__name__)


class WorkerFailed(PenguinError):
    """The worker could not answer this call (a limit passed, a crash, or too busy); it has been restarted."""


class Worker:
    """One helper process running ``python -m module``; see ``serve`` for the other end."""

    def __init__(self, module: str, *, name: str, memory_mb: int = 1536, call_seconds: float = 30.0,
                 start_seconds: float = 90.0, wait_seconds: float = 45.0, env: dict | None = None,
                 argv: tuple[str, ...] = (), backoff: tuple[float, float] = (5.0, 300.0)):
        self.module, self.name, self.memory_mb, self.argv = module, name, memory_mb, argv
        self.call_seconds, self.start_seconds, self.wait_seconds = call_seconds, start_seconds, wait_seconds
        self.backoff = backoff  # after a start that died before answering: wait this long, doubling, at most
        self._failed_starts, self._retry_at = 0, 0.0
        self.env = env or {}
        self.temp = tempfile.mkdtemp(prefix="penguin-worker-")  # its TMPDIR: emptied whenever it is killed
        atexit.register(self.stop)  # the worker first, then its folder
        self._process: subprocess.Popen | None = None
        self._warm = False  # it has answered once since it started: its imports are done
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def start(self) -> bool:
        """Start the worker unless it is running (it loads its imports at once, in the background); whether it
        is. A worker that died before it ever answered (its imports failed: no TensorFlow on this server, say)
        is started again only after a wait that doubles each time, never on every call or page."""
        if self._process is not None and self._process.poll() is not None:
            if not self._warm:
                self._failed_start()
            self._process = None
        if self._process is None:
            if time.monotonic() < self._retry_at:
                return False
            os.makedirs(self.temp, exist_ok=True)
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
                   "TMPDIR": self.temp, **self.env}
            self._process = subprocess.Popen([sys.executable, "-m", self.module, *self.argv], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, env=env, cwd=ROOT)
            self._warm = False
        return True

    def _failed_start(self) -> None:
        """The worker ended before it ever answered: its next start waits (5 s, 10 s, ... at most 300 s)."""
        self._failed_starts += 1
        wait = min(self.backoff[0] * 2 ** (self._failed_starts - 1), self.backoff[1])
        self._retry_at = time.monotonic() + wait
        log.warning("%s stopped before it answered (start %d); next start in %g s", self.name, self._failed_starts,
                    wait)

    def stop(self) -> None:
        """Stop the worker and delete its temporary folder (it starts again on the next call)."""
        with self._lock:
            self._kill()

    def call(self, task: str, *args):
        """``task(*args)`` in the worker; its PenguinError comes back as one, any failure as WorkerFailed."""
        if not self._lock.acquire(timeout=self.wait_seconds):
            raise WorkerFailed(f"The {self.name} is busy with other learners' requests: try again in a moment.")
        try:
            if not self.start():
                raise WorkerFailed(f"The {self.name} cannot start on this server just now (the server's log says "
                                   f"why): what needs it is unavailable; it is tried again in "
                                   f"{self._retry_at - time.monotonic():.0f} s. Everything else works.")
            seconds = self.call_seconds + (0 if self._warm else self.start_seconds)
            try:
                _send(self._process.stdin, (task, args))
                status, value = self._receive(time.monotonic() + seconds)
            except _Limit as limit:
                log.warning("%s: %s during %s; restarting it", self.name, limit, task)
                warm = self._warm
                self._kill()
                if not warm:
                    self._failed_start()
                self.start()
                raise WorkerFailed(f"The {self.name} {limit} and was restarted: {_advice(limit)}") from None
            self._warm, self._failed_starts = True, 0
        finally:
            self._lock.release()
        if status == "error":
            raise PenguinError(value)
        if status == "crash":
            log.error("%s failed on %s: %s", self.name, task, value)
            raise WorkerFailed(f"The {self.name} could not do this ({task}); the server's log has the details.")
        return value

    def _receive(self, deadline: float):
        header = self._read(8, deadline)
        (size,) = struct.unpack("!Q", header)
        return pickle.loads(self._read(size, deadline))

    def _read(self, n: int, deadline: float) -> bytes:
        """Exactly ``n`` bytes from the worker, watching the clock and its memory meanwhile."""
        fd, parts, got = self._process.stdout.fileno(), [], 0
        while got < n:
            if time.monotonic() > deadline:
                raise _Limit(f"took longer than {self.call_seconds + (0 if self._warm else self.start_seconds):g} s")
            if _resident_mb(self._process.pid) > self.memory_mb:
                raise _Limit(f"needed more than {self.memory_mb} MB of memory")
            readable, _, _ = select.select([fd], [], [], 0.02)
            if readable:
                chunk = os.read(fd, min(n - got, 1 << 20))
                if not chunk:
                    raise _Limit("stopped unexpectedly")
                parts.append(chunk)
                got += len(chunk)
        return b"".join(parts)

    def _kill(self) -> None:
        """Kill the worker and delete whatever it left in its temporary folder."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._process = None
        shutil.rmtree(self.temp, ignore_errors=True)


class _Limit(Exception):
    pass


def _advice(limit: _Limit) -> str:
    if "memory" in str(limit):
        return "what was asked is larger than anything the lab builds."
    return "nothing of yours is lost; try again."


def _resident_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _send(stream, value) -> None:
    data = pickle.dumps(value)
    try:
        stream.write(struct.pack("!Q", len(data)) + data)
        stream.flush()
    except (OSError, ValueError):
        raise _Limit("stopped unexpectedly") from None


def _receive_blocking(stream):
    header = stream.read(8)
    if len(header) < 8:
        raise EOFError
    (size,) = struct.unpack("!Q", header)
    return pickle.loads(stream.read(size))


def serve(tasks: dict) -> None:
    """The worker's loop: read a call, answer it; end when the server closes the pipe.

    Anything the worker's libraries print goes to stderr (the server's log), never into the answers.
    """
    channel_in, channel_out = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    while True:
        try:
            task, args = _receive_blocking(channel_in)
        except EOFError:
            return
        try:
            answer = ("ok", tasks[task](*args))
        except PenguinError as error:
            answer = ("error", str(error))
        except Exception as error:  # reported to the server's log; the worker lives on
            answer = ("crash", f"{type(error).__name__}: {error}")
        data = pickle.dumps(answer)
        channel_out.write(struct.pack("!Q", len(data)) + data)
        channel_out.flush()
