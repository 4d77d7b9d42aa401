"""A fresh, short-lived process for parsing untrusted bytes, with hard limits set by the kernel.

The child sets its own limits (address space, CPU seconds, no file writes)
before it imports anything else, reads the payload from stdin and answers
with JSON on stdout: never a pickle, so even a child subverted by a hostile
file can only send back data, which the server checks again.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from penguin_core.errors import PenguinError

ROOT = Path(__file__).resolve().parents[2]
MAX_ANSWER_BYTES = 32 * 1024 * 1024


class NotChecked(PenguinError):
    """The reader was killed from outside (not by the file): says nothing about the file, worth a new try."""


def run_isolated(module: str, payload: bytes, *, seconds: float = 20.0, memory_mb: int = 768) -> object:
    """``python -m module`` on ``payload``; its answer, or PenguinError (its own, or for a limit it passed)."""
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "PENGUIN_SANDBOX_MEMORY_MB": str(memory_mb),
           "PENGUIN_SANDBOX_SECONDS": str(int(seconds))}
    with tempfile.TemporaryDirectory(prefix="penguin-sandbox-") as folder:
        try:
            result = subprocess.run([sys.executable, "-m", module], input=payload, capture_output=True,
                                    timeout=seconds, cwd=folder, env=env)
        except subprocess.TimeoutExpired:
            raise PenguinError(f"Reading this file took more than {seconds:g} s, so it was stopped: "
                               "a model file the lab can use is read in well under a second.") from None
    if len(result.stdout) > MAX_ANSWER_BYTES:
        raise PenguinError("Reading this file produced far more than a model holds: refused.")
    try:
        answer = json.loads(result.stdout) if result.stdout else None
    except (ValueError, RecursionError):
        answer = None
    if isinstance(answer, dict) and "error" in answer and isinstance(answer["error"], str):
        raise PenguinError(answer["error"][:1000])
    if result.returncode < 0 and -result.returncode not in (signal.SIGXCPU, signal.SIGSEGV, signal.SIGABRT):
        raise NotChecked("This file could not be checked just now: its reader was stopped from outside (the "
                         "server busy or restarting). Upload it again in a moment.")
    if result.returncode != 0 or not isinstance(answer, dict) or "ok" not in answer:
        raise PenguinError("This file could not be read: it is damaged, or it needed more memory or time than "
                           f"a model file does (at most {memory_mb} MB and {seconds:g} s).")
    return answer["ok"]


def serve_isolated(function: Callable[[bytes], object], max_payload: int) -> None:
    """The child's side: limit this process, read the payload, answer ``function(payload)`` as JSON."""
    memory = int(os.environ.get("PENGUIN_SANDBOX_MEMORY_MB", "768")) * 2**20
    seconds = int(os.environ.get("PENGUIN_SANDBOX_SECONDS", "20"))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # writes no file
    payload = sys.stdin.buffer.read(max_payload + 1)
    try:
        if len(payload) > max_payload:
            raise PenguinError(f"The file is larger than {max_payload // 2**20} MB: refused.")
        answer = {"ok": function(payload)}
    except PenguinError as error:
        answer = {"error": str(error)}
    except MemoryError:
        answer = {"error": "Reading this file needed more memory than a model file does: refused."}
    except RecursionError:
        answer = {"error": "This file is nested far deeper than a model file is: refused."}
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()
