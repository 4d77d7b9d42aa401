"""The server's one training queue, shared by every learner's lab."""

from __future__ import annotations

import os
import threading

from penguin_core.server.queue import TrainingQueue

_queue: TrainingQueue | None = None
_lock = threading.Lock()


def trainer() -> TrainingQueue:
    """The queue; it trains as many runs at once as the machine has cores, unless the environment
    variable PENGUIN_TRAINING_SLOTS says otherwise."""
    global _queue
    with _lock:
        if _queue is None:
            slots = os.environ.get("PENGUIN_TRAINING_SLOTS", "")
            _queue = TrainingQueue(slots=int(slots) if slots.isdigit() and int(slots) > 0 else None)
    return _queue
