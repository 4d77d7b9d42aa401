"""A run: what was asked (settings), what happened (per-epoch history) and what came out (weights, metrics)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from penguin_core.engine import Network, measure
from penguin_core.model import ModelSpec
from penguin_core.prediction import Profile
from penguin_core.preparation import DataSpec, PreparedData


@dataclass(eq=False)
class Run:
    """One training run as a plain value, so it can be kept, compared, saved or shared.

    history:      one dict per finished epoch (epoch, loss, accuracy, val_loss, val_accuracy).
    test_metrics: loss and accuracy on the test set after the last finished epoch.
    profile:      what the training data looked like, to warn about unfamiliar penguins.
    snapshots:    the weights along the way (``penguin_core.engine.snapshots``), None when not at hand.
    """

    data_spec: DataSpec
    model_spec: ModelSpec
    network: Network
    history: list[dict] = field(default_factory=list)
    test_metrics: dict = field(default_factory=dict)
    profile: Profile | None = None
    seconds: float = 0.0
    name: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex)  # the lab's store keys runs by it
    snapshots: object = field(default=None, repr=False)  # Snapshots to replay it; not stored (training again
                                                          # from the same settings and seed makes them again)

    @property
    def epochs_done(self) -> int:
        return len(self.history)

    @property
    def stopped_early(self) -> bool:
        """True when the learner stopped it before ``model_spec.epochs``."""
        return bool(self.history) and self.epochs_done < self.model_spec.epochs

    def measure_test(self, data: PreparedData) -> dict:
        """Loss and accuracy on ``data``'s test set, computed, never taken from a file."""
        loss, accuracy = measure(self.network, *data.arrays("test"))
        return {"loss": loss, "accuracy": accuracy}

    @staticmethod
    def profile_of(data: PreparedData) -> Profile:
        X, y = data.arrays("train")
        return Profile.fit(X, y, data.features, data.species)

    def summary(self) -> dict:
        """One flat row for a run-history table: the name and final numbers first, then the settings."""
        last = self.history[-1] if self.history else {}
        return {
            "run": self.name,
            "test accuracy": self.test_metrics.get("accuracy"),
            "epochs": f"{self.epochs_done}/{self.model_spec.epochs}",
            "standardized": self.data_spec.standardize,
            "hidden layers": " → ".join(f"{h.units} {h.activation}" for h in self.model_spec.hidden) or "none",
            "optimizer": f"{self.model_spec.optimizer} ({self.model_spec.learning_rate:g})",
            "batch size": self.model_spec.batch_size,
            "seed": self.model_spec.seed,
            "features": len(self.network.features),
            "val accuracy": last.get("val_accuracy"),
            "train accuracy": last.get("accuracy"),
            "test loss": self.test_metrics.get("loss"),
            "train loss": last.get("loss"),
        }

    def to_dict(self, weights: bool = True) -> dict:
        """Plain values for JSON; ``weights=False`` leaves the network out (a .keras file holds it)."""
        values = {
            "data_spec": self.data_spec.to_dict(),
            "model_spec": self.model_spec.to_dict(),
            "history": self.history,
            "test_metrics": self.test_metrics,
            "profile": None if self.profile is None else self.profile.to_dict(),
            "seconds": self.seconds,
            "name": self.name,
        }
        if weights:
            values["network"] = self.network.to_dict()
        return values

    @classmethod
    def from_dict(cls, values: dict, network: Network | None = None) -> "Run":
        profile = values.get("profile")
        return cls(
            data_spec=DataSpec.from_dict(values.get("data_spec", {})),
            model_spec=ModelSpec.from_dict(values.get("model_spec", {})),
            network=network if network is not None else Network.from_dict(values["network"]),
            history=list(values.get("history", [])),
            test_metrics=dict(values.get("test_metrics", {})),
            profile=None if profile is None else Profile.from_dict(profile),
            seconds=float(values.get("seconds", 0.0)),
            name=str(values.get("name", "")),
        )
