"""scikit-learn's inspection tools, in a helper process of their own, for the app's server.

Permutation importance is scikit-learn's own (``sklearn.inspection``),
which brings SciPy with it: some 60 MB that would stay in the server for a
view a learner opens now and then. So the server asks this worker, started
on first use, with the usual time and memory limits
(``penguin_core.isolation.worker``). A notebook calls
``penguin_core.views.contributions`` directly.
"""

from __future__ import annotations

from penguin_core.isolation.worker import Worker, serve

_worker = Worker("penguin_core.analysis_worker", name="analysis helper process", memory_mb=900, call_seconds=60,
                 start_seconds=60)


def permutation_importances(network, X, y, repeats: int = 10, seed: int = 0):
    """``penguin_core.views.contributions.permutation_importances``, computed by the worker."""
    return _worker.call("permutation_importances", network, X, y, repeats, seed)


def _tasks() -> dict:
    import sklearn.inspection  # noqa: F401  (at start: the first learner to ask does not wait for it)

    from penguin_core.views.contributions import permutation_importances as importances

    return {"permutation_importances": importances}


if __name__ == "__main__":
    serve(_tasks())
