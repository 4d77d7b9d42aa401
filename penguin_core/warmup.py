"""What is slow the first time, made in the background as the server starts, so the first learner of the
day does not wait: the lesson's prepared data and its run over 20 seeds, the Explore page's pairplot
(drawn once by seaborn in a child process, then kept on disk for the next server), the Keras worker's
TensorFlow with the lesson's ``model.summary()`` and the environment check, and the imports the pages need.

``warm_up()`` is called by app.py on every script run and does its work once per process, in a thread.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import threading
from pathlib import Path

from penguin_core import keras_worker
from penguin_core.errors import PenguinError
from penguin_core.experiments.odds import lesson_odds
from penguin_core.figures import lesson_pairplot_png
from penguin_core.model import ModelSpec
from penguin_core.preparation import DataSpec, prepared

CACHE = Path(__file__).resolve().parents[1] / ".penguin_lab" / "cache"
"""Where pictures that never change are kept between servers (beside the lab's SQLite file)."""
IMPORTS = ("pandas", "plotly.graph_objects", "plotly.io", "penguin_core.views.contributions",
           "penguin_core.batch_prediction", "penguin_core.comparison", "penguin_core.export")
log = logging.getLogger(__name__)
_started, _finished = threading.Event(), threading.Event()
_pairplot: bytes | None = None


def warm_up() -> None:
    """Start the background work once per process (later calls return at once)."""
    if _started.is_set():
        return
    _started.set()
    keras_worker.start()  # TensorFlow loads in its own process meanwhile
    threading.Thread(target=_work, name="warm-up", daemon=True).start()


def finished() -> bool:
    """Whether the background work is over (each part done, or failed and logged)."""
    return _finished.is_set()


def wait(timeout: float) -> bool:
    """Wait until the background work is over (``warm_up`` started first); whether it is."""
    return _finished.wait(timeout)


def pairplot() -> bytes | None:
    """The lesson's pairplot as PNG: None while ``warm_up`` draws it; drawn here if it could not."""
    if _pairplot is None and finished():
        return _cached(f"pairplot-{_version()}.png", lesson_pairplot_png)
    return _pairplot


def _work() -> None:
    try:
        _warm()
    finally:
        _finished.set()


def _warm() -> None:
    global _pairplot
    for spec in (DataSpec(), DataSpec(standardize=True)):
        prepared(spec)
    for name in IMPORTS:
        importlib.import_module(name)
    for standardize in (False, True):  # the Train page's word after a poor run on raw inputs
        lesson_odds(standardize)
    try:
        _pairplot = _cached(f"pairplot-{_version()}.png", lesson_pairplot_png)
    except (PenguinError, OSError):
        log.exception("drawing the pairplot failed")
    try:
        keras_worker.check_environment()
        for standardize in (False, True):
            keras_worker.summary_text(ModelSpec(), 4, 3, standardize)
    except PenguinError:
        log.exception("warming the Keras worker failed")


def _cached(name: str, make) -> bytes:
    """``make()``'s bytes, kept in ``CACHE`` under ``name`` (written whole, or not at all)."""
    path = CACHE / name
    if path.is_file():
        return path.read_bytes()
    content = make()
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_bytes(content)
    partial.replace(path)
    return content


def _version() -> str:
    """What the pairplot depends on: the libraries that draw it and the data."""
    from importlib.metadata import version

    names = ("matplotlib", "seaborn", "pandas", "palmerpenguins")
    return hashlib.sha256(" ".join(f"{n}={version(n)}" for n in names).encode()).hexdigest()[:12]
