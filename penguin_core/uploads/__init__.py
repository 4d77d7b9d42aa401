"""An uploaded ``.keras`` file, taken apart and checked as data; the lab never lets Keras deserialize it.

    from penguin_core.uploads import read_model
    run = read_model(content)               # in this process (a notebook, the command line)
    run = read_model(content, isolated=True)  # the app: the weights are parsed in a sandbox process

Order of the checks, cheapest first: the zip's directory (names, sizes,
compression), the architecture in config.json (a chain of Dense layers within
the lab's limits), the metadata against that architecture, and only then the
weights (shapes, finite values). Test metrics and the training profile are
recomputed from the data, never read.
"""

from __future__ import annotations

import json

from penguin_core.errors import PenguinError
from penguin_core.isolation.sandbox import NotChecked  # a refusal that says nothing about the file
from penguin_core.uploads.archive import MAX_FILE_BYTES, read_members

__all__ = ["MAX_FILE_BYTES", "NotChecked", "read_model"]


def read_model(content: bytes, *, isolated: bool = False):
    """The Run a model file holds (history empty when Keras alone saved it), or PenguinError saying why not."""
    from penguin_core.engine.network import Network
    from penguin_core.model import HiddenLayer, ModelSpec
    from penguin_core.preparation import DataSpec
    from penguin_core.run import Run
    from penguin_core.uploads import metadata as meta
    from penguin_core.uploads.architecture import read_architecture

    members = read_members(content)
    config = _json(members["config.json"], "config.json")
    architecture = read_architecture(config)
    facts = meta.check_metadata(_json(members["penguin_lab.json"], "penguin_lab.json")
                                if "penguin_lab.json" in members else None)
    species = meta.check_species(facts, architecture.dense[-1].units)
    hidden = tuple(HiddenLayer(layer.units, layer.activation) for layer in architecture.dense[:-1])
    run_facts = facts.get("run", {})
    data_spec = _settings(DataSpec, run_facts.get("data_spec"), DataSpec(standardize=architecture.normalization is not None))
    model_spec = _settings(ModelSpec, run_facts.get("model_spec"), ModelSpec(hidden=hidden))
    if model_spec.hidden != hidden:
        raise PenguinError("This file's settings describe a different network from the one it holds: refused.")
    if data_spec.standardize != (architecture.normalization is not None):
        raise PenguinError("This file's settings say the measurements are "
                           f"{'' if data_spec.standardize else 'not '}standardized, but its network "
                           f"{'has no' if data_spec.standardize else 'has a'} Normalization layer: refused.")
    data = _prepared(data_spec)
    features = meta.check_features(facts, architecture.n_inputs, data.features)
    history = meta.check_history(run_facts.get("history"), model_spec.epochs)
    name = meta.check_name(run_facts.get("name"))
    weights = _weights(members["model.weights.h5"], config, architecture, isolated)
    network = Network.from_dict({"features": list(features), "species": list(species), **weights,
                                 "activations": [layer.activation for layer in architecture.dense]})
    run = Run(data_spec=data_spec, model_spec=model_spec, network=network, history=history,
              profile=Run.profile_of(data), seconds=meta.check_seconds(run_facts.get("seconds")), name=name)
    run.test_metrics = run.measure_test(data)
    return run


def _weights(h5: bytes, config: dict, architecture, isolated: bool) -> dict:
    if not isolated:
        from penguin_core.uploads.weights import read_weights

        return read_weights(h5, architecture)
    from penguin_core.isolation.sandbox import run_isolated

    answer = run_isolated("penguin_core.uploads.weights", json.dumps(config).encode() + b"\n" + h5)
    if not isinstance(answer, dict) or set(answer) != {"kernels", "biases", "scaling"}:
        raise PenguinError("This file's weights could not be read: refused.")
    return answer


def _json(raw: bytes, name: str):
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise PenguinError(f"This file's {name} is damaged: it is not valid JSON.") from None


def _settings(kind, values, default):
    if values is None:
        return default
    if not isinstance(values, dict):
        raise PenguinError(f"This file's {kind.__name__} is not a set of settings: refused.")
    return kind.from_dict(values)


def _prepared(spec):
    from penguin_core.preparation import prepared

    return prepared(spec)
