"""The shared server's policies: who trains when (``queue``: a few trainings at a time, the rest in line,
a class's clicks batched) and how much one training may cost (``budget``). One queue per server process
(``trainer()``), shared by every learner's lab.
"""

from penguin_core.server.budget import MAX_SECONDS, check_budget, training_cost
from penguin_core.server.queue import SweepJob, TrainingJob, TrainingQueue
from penguin_core.server.trainer import trainer

__all__ = ["MAX_SECONDS", "SweepJob", "TrainingJob", "TrainingQueue", "check_budget", "trainer", "training_cost"]
