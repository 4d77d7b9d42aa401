"""Keras in a process of its own, for the app's server.

As soon as ``keras`` is imported in a Streamlit server, Streamlit calls
``keras.backend.clear_session()`` after every script run of every session
(about 0.3 s of CPU each, and a reset of Keras' global state under other
sessions' feet); TensorFlow also adds some 650 MB and slows every garbage
collection. So the server never imports Keras: the few things that need it
(the summary, saving, loading an upload, the environment check) run here, in
one worker process started in the background when the app starts. Training
and prediction never need it.

The notebook and the command line call the same functions directly.
"""

from __future__ import annotations

import functools
import os
import pickle
import struct
import subprocess
import sys
import threading

from penguin_core.errors import PenguinError


class KerasWorker:
    """One worker process; calls are answered one at a time, in order."""

    def __init__(self):
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the worker (it imports Keras at once) unless it is running."""
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen([sys.executable, "-m", "penguin_core.keras_worker"],
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})

    def call(self, task: str, *args):
        """Run ``TASKS[task](*args)`` in the worker; its PenguinError comes back as one."""
        with self._lock:
            self.start()
            try:
                _send(self._process.stdin, (task, args))
                status, value = _receive(self._process.stdout)
            except (OSError, EOFError, struct.error):
                self._process.kill()
                raise RuntimeError("the Keras worker process stopped; it restarts on the next call") from None
        if status == "error":
            raise PenguinError(value)
        if status == "crash":
            raise RuntimeError(f"the Keras worker failed: {value}")
        return value


_worker = KerasWorker()
start = _worker.start


def summary_text(spec, n_inputs: int, n_outputs: int = 3, standardize: bool = False) -> str:
    """``penguin_core.model.summary_text``, computed by the worker; kept per architecture, as there."""
    return _summary_text(spec.hidden, n_inputs, n_outputs, standardize)


@functools.lru_cache(maxsize=256)
def _summary_text(hidden, n_inputs, n_outputs, standardize) -> str:
    from penguin_core.model import ModelSpec

    return _worker.call("summary_text", ModelSpec(hidden=hidden), n_inputs, n_outputs, standardize)


def model_bytes(run) -> bytes:
    """``penguin_core.sharing.model_bytes``, computed by the worker."""
    return _worker.call("model_bytes", run)


def load_model_bytes(content: bytes):
    """``penguin_core.sharing.load_model_bytes``, in the worker: an unsafe file never reaches the server."""
    return _worker.call("load_model_bytes", content)


def check_environment() -> list[dict]:
    """``penguin_core.environment.check_environment``, in the worker's Python (the same interpreter)."""
    return _worker.call("check_environment")


def _tasks() -> dict:
    from penguin_core.environment import check_environment as environment
    from penguin_core.model import summary_text as summary
    from penguin_core.sharing import load_model_bytes as load, model_bytes as save

    return {"summary_text": summary, "model_bytes": save, "load_model_bytes": load, "check_environment": environment}


def _send(stream, value) -> None:
    data = pickle.dumps(value)
    stream.write(struct.pack("!Q", len(data)) + data)
    stream.flush()


def _receive(stream):
    header = stream.read(8)
    if len(header) < 8:
        raise EOFError
    (size,) = struct.unpack("!Q", header)
    return pickle.loads(stream.read(size))


def serve() -> None:
    """The worker's loop: read a call, answer it; end when the server closes the pipe."""
    channel_in, channel_out = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything TensorFlow or Keras prints goes to stderr, never into the answers
    from penguin_core.keras_model import import_keras

    import_keras()
    tasks = _tasks()
    while True:
        try:
            task, args = _receive(channel_in)
        except EOFError:
            return
        try:
            answer = ("ok", tasks[task](*args))
        except PenguinError as error:
            answer = ("error", str(error))
        except Exception as error:  # reported to the page, which shows a message; the worker lives on
            answer = ("crash", f"{type(error).__name__}: {error}")
        _send(channel_out, answer)


if __name__ == "__main__":
    serve()
