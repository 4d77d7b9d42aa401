"""The training engine: arrays and a recipe in, a network and its epoch records out.

    fit = Fit(Arrays(X, y, None, None, features, species), recipe)   # recipe: ModelSpec or alike
    for record in fit: ...                                             # one epoch a record
    train_together([fit_a, fit_b])                                     # many fits, batched where they can

A network as plain NumPy weights (``network``), Keras' activations and update rules (``activations``,
``optimizers``), the batched step (``batch``), the weights kept to replay (``snapshots``). It knows
nothing of runs, labs, sessions or pages; nothing here imports from outside ``engine`` but ``errors``.
"""

from penguin_core.engine.batch import train_together
from penguin_core.engine.fit import Arrays, Fit, measure
from penguin_core.engine.network import Network, Scaling

__all__ = ["Arrays", "Fit", "Network", "Scaling", "measure", "train_together"]
