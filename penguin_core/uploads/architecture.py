"""Read a model's architecture from its ``config.json`` ourselves, as data: Keras never deserializes an upload.

The lab takes exactly what the lesson builds: an input, an optional
Normalization, then a chain of Dense layers ending in Dense(3, softmax), each
layer used once and fed by the one before. Anything else (a branch, a layer
used twice, two outputs, a nested model, an activation the lab cannot compute,
a size beyond the lab's own limits) is refused here, before any weights are read.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from penguin_core.engine.activations import ACTIVATIONS
from penguin_core.errors import PenguinError
from penguin_core.model import MAX_HIDDEN_LAYERS, MAX_UNITS

MAX_INPUTS = 16
"""More inputs than any penguin has measurements (4, plus 5 one-hot island and sex columns)."""
MODEL_CLASSES = ("Functional", "Sequential", "Model")
FLOAT_POLICIES = ("float32", "float64")


@dataclass(frozen=True)
class Dense:
    units: int
    activation: str
    use_bias: bool


@dataclass(frozen=True)
class Architecture:
    """n_inputs -> [normalization] -> dense layers. ``normalization`` is None (none), "weights" (its mean and
    variance are in the weights file, after ``adapt``) or (mean, variance) as written in the config."""

    n_inputs: int
    normalization: None | str | tuple[tuple[float, ...], tuple[float, ...]]
    dense: tuple[Dense, ...]

    @property
    def sizes(self) -> list[int]:
        return [self.n_inputs, *(layer.units for layer in self.dense)]


def _keras_own(entry: dict, modules: tuple[str, ...]) -> None:
    """PenguinError unless ``entry`` is Keras' own class: Keras loads a class from its ``module`` and
    ``registered_name``, so a "Dense" from the module ``os``, or registered as ``Lambda``, is not a Dense."""
    module, registered = entry.get("module"), entry.get("registered_name")
    kind = entry.get("class_name")
    if module is not None and not (isinstance(module, str) and (module in modules or module.startswith(
            tuple(m + "." for m in modules)))):
        raise PenguinError(f"This model's {_shown(kind)} comes from {_shown(module)}, not from Keras: the lab takes "
                           "only Keras' own layers, as built in the lesson.")
    if registered is not None and registered != kind:
        raise PenguinError(f"This model's {_shown(kind)} is registered as {_shown(registered)}: the lab takes only "
                           "Keras' own layers, as built in the lesson.")


def read_architecture(config: object) -> Architecture:
    """The architecture described by a parsed ``config.json``; PenguinError naming what the lab cannot take."""
    if not isinstance(config, dict) or config.get("class_name") not in MODEL_CLASSES:
        kind = config.get("class_name") if isinstance(config, dict) else None
        raise PenguinError(f"This file's model is {_shown(kind)}: the lab takes a Keras Model or Sequential "
                           "made of Dense layers, as built in the lesson.")
    body = config.get("config")
    layers = body.get("layers") if isinstance(body, dict) else None
    if not isinstance(layers, list) or not all(isinstance(layer, dict) for layer in layers):
        raise PenguinError("This file's config.json has no list of layers: it is not what Keras writes.")
    if len(layers) > MAX_HIDDEN_LAYERS + 3:
        raise PenguinError(f"This model has {len(layers)} layers: the lab takes at most {MAX_HIDDEN_LAYERS} hidden "
                           "Dense layers, an output layer and an optional Normalization.")
    _keras_own(config, ("keras", "keras.src.models"))
    for layer in layers:
        if layer.get("class_name") not in ("InputLayer", "Normalization", "Dense"):
            raise PenguinError(f"This model has a {_shown(layer.get('class_name'))} layer: the lab takes Dense layers "
                               "(with an optional Normalization first), as built in the lesson.")
        _keras_own(layer, ("keras.layers", "keras.src.layers"))
    if config["class_name"] == "Sequential":
        n_inputs, layers = _sequential_input(body, layers)
    else:
        n_inputs, layers = _functional_chain(body, layers)
    return _chain(n_inputs, layers)


def _functional_chain(body: dict, layers: list[dict]) -> tuple[int, list[dict]]:
    """Check that every layer is fed by the one before, once, and that the last one is the only output."""
    first = layers[0] if layers else {}
    if first.get("class_name") != "InputLayer":
        raise PenguinError("This model does not start with an Input: the lab takes keras.Input(shape=(4,)) first.")
    names = [layer.get("name") for layer in layers]
    if not all(isinstance(name, str) for name in names) or len(set(names)) != len(names):
        raise PenguinError("This model's layers do not have distinct names: it is not what Keras writes.")
    for previous, layer in zip(names, layers[1:]):
        nodes = layer.get("inbound_nodes")
        if not isinstance(nodes, list) or len(nodes) != 1:
            raise PenguinError(f"Layer {_shown(layer.get('name'))} is used {len(nodes) if isinstance(nodes, list) else 0} "
                               "times: the lab takes a chain where each layer is used once.")
        if _sources(nodes[0]) != [previous]:
            raise PenguinError(f"Layer {_shown(layer.get('name'))} is not fed by the layer just before it: the lab "
                               "takes a plain chain of layers (no branches, no skipped layers).")
    if _endpoints(body.get("input_layers")) != [names[0]]:
        raise PenguinError("This model has more than one input: the lab takes one input of measurements.")
    if _endpoints(body.get("output_layers")) != [names[-1]]:
        raise PenguinError("This model's output is not its last layer alone: the lab takes one output, "
                           "Dense(3, softmax), at the end of the chain.")
    return _input_width(first.get("config")), layers[1:]


def _sequential_input(body: dict, layers: list[dict]) -> tuple[int, list[dict]]:
    if layers and layers[0].get("class_name") == "InputLayer":
        return _input_width(layers[0].get("config")), layers[1:]
    for shape in (body.get("build_input_shape"), (layers[0].get("build_config") or {}).get("input_shape")
                  if layers else None):
        if shape is not None:
            return _width(shape), layers
    raise PenguinError("This Sequential model was saved before it was built: its number of inputs is unknown.")


def _chain(n_inputs: int, layers: list[dict]) -> Architecture:
    normalization, dense = None, []
    for position, layer in enumerate(layers):
        kind, config = layer.get("class_name"), layer.get("config")
        if not isinstance(config, dict):
            raise PenguinError("A layer in config.json has no settings: it is not what Keras writes.")
        if kind == "Normalization" and position == 0:
            normalization = _normalization(config, n_inputs)
        elif kind == "Dense":
            dense.append(_dense(config, len(dense) + 1))
        else:
            raise PenguinError(f"This model has a {_shown(kind)} layer where the lab expects a Dense layer: "
                               "it takes Dense layers, with an optional Normalization first, as built in the lesson.")
    if not dense:
        raise PenguinError("The model has no Dense layer: it cannot classify penguins.")
    if len(dense) > MAX_HIDDEN_LAYERS + 1:
        raise PenguinError(f"This model has {len(dense) - 1} hidden layers: the lab takes at most {MAX_HIDDEN_LAYERS}.")
    for number, layer in enumerate(dense[:-1], start=1):
        if layer.units > MAX_UNITS:
            raise PenguinError(f"Hidden layer {number} has {layer.units} units: the lab takes at most {MAX_UNITS}.")
        if layer.activation not in ACTIVATIONS:
            raise PenguinError(f"Hidden layer {number} uses the activation {_shown(layer.activation)}: the lab "
                               f"computes {', '.join(ACTIVATIONS)}.")
    last = dense[-1]
    if last.activation != "softmax" or last.units != 3:
        raise PenguinError(f"The model's output must be Dense(3, softmax), one probability per species; it has "
                           f"Dense({last.units}, {_shown(last.activation)}).")
    return Architecture(n_inputs, normalization, tuple(dense))


def _dense(config: dict, number: int) -> Dense:
    units, activation, use_bias = config.get("units"), config.get("activation"), config.get("use_bias", True)
    if isinstance(units, bool) or not isinstance(units, numbers.Integral) or not 1 <= units <= MAX_UNITS:
        raise PenguinError(f"Dense layer {number} has {_shown(units)} units: the lab takes 1 to {MAX_UNITS}.")
    if not isinstance(activation, str):
        raise PenguinError(f"Dense layer {number} has a custom activation: the lab computes "
                           f"{', '.join(ACTIVATIONS)} (and softmax at the output).")
    if not isinstance(use_bias, bool):
        raise PenguinError(f"Dense layer {number}'s use_bias is {_shown(use_bias)}, not true or false.")
    if config.get("lora_rank") or config.get("quantization_config"):
        raise PenguinError(f"Dense layer {number} is quantized or uses LoRA: the lab takes plain Dense layers.")
    _check_policy(config.get("dtype"), f"Dense layer {number}")
    return Dense(int(units), activation, use_bias)


def _normalization(config: dict, n_inputs: int):
    if config.get("invert"):
        raise PenguinError("This model undoes a normalization (invert=True): the lab cannot use it.")
    if config.get("axis", -1) not in (-1, [-1], 1, [1]):
        raise PenguinError("This model normalizes along an unusual axis: the lab takes one value per measurement.")
    mean, variance = config.get("mean"), config.get("variance")
    if mean is None and variance is None:
        return "weights"
    values = tuple(_per_input(value, name, n_inputs) for value, name in ((mean, "mean"), (variance, "variance")))
    if min(values[1]) < 0:
        raise PenguinError("The Normalization layer has a negative variance: the file is damaged.")
    return values


def _per_input(value, name: str, n_inputs: int) -> tuple[float, ...]:
    if _is_number(value):
        return (float(value),) * n_inputs
    if isinstance(value, list) and len(value) == n_inputs and all(_is_number(v) for v in value):
        return tuple(float(v) for v in value)
    raise PenguinError(f"The Normalization layer's {name} is not {n_inputs} finite numbers: the file is damaged.")


def _check_policy(policy, where: str) -> None:
    name = policy.get("config", {}).get("name") if isinstance(policy, dict) else policy
    if policy is not None and name not in FLOAT_POLICIES:
        raise PenguinError(f"{where} computes in {_shown(name)}: the lab takes float32 models.")


def _input_width(config) -> int:
    shape = None
    if isinstance(config, dict):
        shape = config.get("batch_shape", config.get("batch_input_shape"))
    return _width(shape)


def _width(shape) -> int:
    if not isinstance(shape, list) or len(shape) != 2 or isinstance(shape[1], bool) or not isinstance(shape[1], int):
        raise PenguinError("This model's input is not a row of measurements: the lab takes keras.Input(shape=(n,)).")
    if not 1 <= shape[1] <= MAX_INPUTS:
        raise PenguinError(f"This model takes {shape[1]} inputs per penguin: the lab has at most {MAX_INPUTS}.")
    return shape[1]


def _sources(node) -> list:
    """The layer names feeding one inbound node (Keras 3 writes {"args": [tensor], "kwargs": {}})."""
    if not isinstance(node, dict) or not isinstance(node.get("args"), list) or node.get("kwargs") not in ({}, None):
        return []
    sources = []
    for argument in node["args"]:
        history = argument.get("config", {}).get("keras_history") if isinstance(argument, dict) else None
        if not isinstance(history, list) or len(history) != 3 or history[1:] != [0, 0]:
            return []
        sources.append(history[0])
    return sources


def _endpoints(value) -> list:
    """[[name, 0, 0], ...] or Keras' single [name, 0, 0] as a list of names ([] when malformed)."""
    if isinstance(value, list) and len(value) == 3 and isinstance(value[0], str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, list) and len(v) == 3 and v[1:] == [0, 0] for v in value):
        return []
    return [v[0] for v in value]


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def _shown(value) -> str:
    """A value from the file, quoted and cut short, for a message (never formatted as anything)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"
