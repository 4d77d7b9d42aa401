"""Keras in a process of its own, for the app's server.

As soon as ``keras`` is imported in a Streamlit server, Streamlit calls
``keras.backend.clear_session()`` after every script run of every session
(about 0.3 s of CPU each, and a reset of Keras' global state under other
sessions' feet); TensorFlow also adds some 700 MB and slows every garbage
collection. So the server never imports Keras: the few things that need it
(the summary, saving a model, the environment check) run here, in one worker
process started in the background when the app starts. Only the server's own
values reach it: an uploaded file is read without Keras (``penguin_core.uploads``).
Each call has a time and memory limit (``penguin_core.isolation.worker``).

The notebook and the command line call the same functions directly.
"""

from __future__ import annotations

import functools

from penguin_core.isolation.worker import Worker, serve

_worker = Worker("penguin_core.keras_worker", name="Keras helper process", memory_mb=1536, call_seconds=30)
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


@functools.cache
def check_environment() -> list[dict]:
    """``penguin_core.environment.check_environment``, in the worker's Python (the same interpreter)."""
    return _worker.call("check_environment")


def _tasks() -> dict:
    from penguin_core.environment import check_environment as environment
    from penguin_core.keras_model import import_keras
    from penguin_core.model import summary_text as summary
    from penguin_core.sharing import model_bytes as save

    import_keras()  # at start, so the first learner to need Keras does not wait for it
    return {"summary_text": summary, "model_bytes": save, "check_environment": environment}


if __name__ == "__main__":
    serve(_tasks())
