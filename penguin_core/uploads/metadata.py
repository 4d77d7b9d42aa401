"""Check what ``penguin_lab.json`` claims against the network it travels with; recompute what can be recomputed.

Nothing in the file is believed as it stands: features and species must be
the lab's and match the network's inputs and outputs, the settings must
describe this very network, the history must be numbers, and the test
metrics and the training profile are computed again from the data rather
than read.
"""

from __future__ import annotations

import math
import numbers

from penguin_core.data import SPECIES
from penguin_core.errors import PenguinError
from penguin_core.text import MAX_NAME, clean_name

TOP_LEVEL = {"features", "species", "run"}
RUN_FIELDS = {"data_spec", "model_spec", "history", "test_metrics", "profile", "seconds", "name"}
HISTORY_FIELDS = {"epoch", "loss", "accuracy", "val_loss", "val_accuracy"}


def check_metadata(metadata: object) -> dict:
    """The metadata as a dict of known fields (empty for a file saved by Keras alone)."""
    if metadata is None:
        return {}
    if not isinstance(metadata, dict) or not set(metadata) <= TOP_LEVEL:
        extra = sorted(set(metadata) - TOP_LEVEL)[:1] if isinstance(metadata, dict) else ["its shape"]
        raise PenguinError(f"This file's penguin_lab.json is not what the lab writes ({_shown(extra[0])}): refused.")
    run = metadata.get("run", {})
    if not isinstance(run, dict) or not set(run) <= RUN_FIELDS:
        raise PenguinError("This file's penguin_lab.json describes its run in an unknown way: refused.")
    return metadata


def check_species(metadata: dict, n_outputs: int) -> tuple[str, ...]:
    species = metadata.get("species", list(SPECIES))
    if species != list(SPECIES) or n_outputs != len(SPECIES):
        shown = f"{len(species)} species" if isinstance(species, list) and len(species) > 5 else _shown(species)
        raise PenguinError(f"This model answers with {shown}: the lab's models answer "
                           f"{', '.join(SPECIES)}, in that order.")
    return SPECIES


def check_features(metadata: dict, n_inputs: int, expected: tuple[str, ...]) -> tuple[str, ...]:
    """The file's feature list must be exactly the columns its own data settings produce, one per input."""
    if n_inputs != len(expected):
        raise PenguinError(f"The model takes {n_inputs} inputs per penguin, but {len(expected)} measurements are "
                           f"expected ({', '.join(expected)}).")
    features = metadata.get("features", list(expected))
    if features != list(expected):
        raise PenguinError(f"This file names its inputs {_shown(features)}, but its data settings give "
                           f"{', '.join(expected)}: refused.")
    return tuple(features)


def check_history(history: object, epochs: int) -> list[dict]:
    if history is None:
        return []
    if not isinstance(history, list) or len(history) > epochs:
        raise PenguinError(f"This file's training history is not a list of at most {epochs} epochs: refused.")
    checked = []
    for number, record in enumerate(history, start=1):
        if (not isinstance(record, dict) or not {"epoch", "loss", "accuracy"} <= set(record) <= HISTORY_FIELDS
                or record["epoch"] != number or not all(_finite(v) for v in record.values())):
            raise PenguinError(f"Epoch {number} of this file's training history is not a record of numbers: refused.")
        checked.append({k: int(v) if k == "epoch" else float(v) for k, v in record.items()})
    return checked


def check_name(name: object) -> str:
    if name is None:
        return ""
    if not isinstance(name, str):
        raise PenguinError("This file's run name is not text: refused.")
    if len(name) > MAX_NAME:
        raise PenguinError(f"This file's run name is {len(name):,} characters long: a name has at most {MAX_NAME}.")
    return clean_name(name)


def check_seconds(seconds: object) -> float:
    return float(seconds) if _finite(seconds) and 0 <= seconds < 1e7 else 0.0


def _finite(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"
