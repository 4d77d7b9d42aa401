"""A lab's settings as a link: the query parameters of the page's address, and back.

Only settings that differ from the lesson's are written, so the lesson's own
setup is the bare address and a link reads like a list of changes
(``?std=1&hidden=16-relu,8-tanh&epochs=300``). Reading a link takes each
parameter on its own: one that is unknown, malformed or out of range is
ignored (its setting keeps the lesson's value) and named in the notices, so
a mistyped link still opens the lab.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from penguin_core.errors import PenguinError
from penguin_core.model import HiddenLayer, ModelSpec
from penguin_core.preparation import DataSpec

SETTINGS = {  # parameter: (which settings, field)
    "features": ("data", "features"), "extra": ("data", "categorical"), "test": ("data", "test_size"),
    "val": ("data", "validation_size"), "split_seed": ("data", "random_state"), "shuffle": ("data", "shuffle"),
    "stratify": ("data", "stratify"), "std": ("data", "standardize"), "hidden": ("model", "hidden"),
    "optimizer": ("model", "optimizer"), "lr": ("model", "learning_rate"), "batch": ("model", "batch_size"),
    "epochs": ("model", "epochs"), "seed": ("model", "seed"),
}
"""Every setting a link can carry, under a short name."""
OTHER = {"lab", "projector"}
"""Parameters that are not settings (the lab's key, projector mode); never written by ``to_params``."""
MAX_VALUE = 200


@dataclass(frozen=True)
class Setup:
    data_spec: DataSpec = DataSpec()
    model_spec: ModelSpec = ModelSpec()


def to_params(setup: Setup) -> dict[str, str]:
    """The settings that differ from the lesson's, as text parameters."""
    params = {}
    for name, (which, field) in SETTINGS.items():
        spec = setup.data_spec if which == "data" else setup.model_spec
        value, default = getattr(spec, field), getattr(Setup().data_spec if which == "data" else ModelSpec(), field)
        if value != default:
            params[name] = _format(value)
    return params


def from_params(params: dict[str, str]) -> tuple[Setup, list[str]]:
    """The setup a link describes, and one sentence per parameter that was ignored (and why)."""
    changes: dict[str, dict] = {"data": {}, "model": {}}
    ignored = []
    for name, text in list(params.items())[:50]:
        if name in OTHER:
            continue
        if name not in SETTINGS:
            ignored.append(f"{_shown(name)} is not a setting")
            continue
        which, field = SETTINGS[name]
        kind = DataSpec if which == "data" else ModelSpec
        try:
            value = _parse(str(text)[:MAX_VALUE + 1], _field_type(kind, field))
            kind(**{field: value, **({"stratify": False} if field == "shuffle" else {})})  # its own range
        except (PenguinError, ValueError) as error:
            ignored.append(f"{name}={_shown(text)}: {str(error).rstrip('.')}")
            continue
        changes[which][field] = (name, value)
    specs = [_combined(kind, changes[which], ignored) for which, kind in (("data", DataSpec), ("model", ModelSpec))]
    return Setup(*specs), ignored


def _combined(kind, changes: dict, ignored: list[str]):
    """``kind`` with every change that fits the others; a change that clashes (the latest first) is ignored."""
    kept = dict(changes)
    while True:
        try:
            return kind(**{field: value for field, (_, value) in kept.items()})
        except PenguinError as error:
            field, (name, _) = list(kept.items())[-1]
            ignored.append(f"{name}: {str(error).rstrip('.')}")
            del kept[field]


def _format(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        if value and isinstance(value[0], HiddenLayer):
            return ",".join(f"{layer.units}-{layer.activation}" for layer in value)
        return ",".join(value) if value else "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _parse(text: str, kind: str):
    if len(text) > MAX_VALUE:
        raise ValueError(f"longer than {MAX_VALUE} characters")
    if kind == "bool":
        if text not in ("0", "1", "true", "false"):
            raise ValueError("use 1 or 0")
        return text in ("1", "true")
    if kind == "int":
        if not text.lstrip("-").isdigit():
            raise ValueError("not a whole number")
        return int(text)
    if kind == "float":
        value = float(text)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("not a finite number")
        return value
    if kind == "layers":
        if text == "none":
            return ()
        layers = []
        for part in text.split(","):
            units, _, activation = part.partition("-")
            if not units.isdigit():
                raise ValueError("write layers as units-activation, e.g. 10-relu,8-tanh")
            layers.append(HiddenLayer(int(units), activation or "relu"))
        return tuple(layers)
    if kind == "list":
        return () if text == "none" else tuple(part for part in text.split(",") if part)
    return text


def _field_type(kind, field: str) -> str:
    if field == "hidden":
        return "layers"
    declared = str(next(f.type for f in fields(kind) if f.name == field))
    return "list" if "tuple" in declared else declared


def _shown(value) -> str:
    text = repr(str(value))
    return text if len(text) <= 30 else text[:27] + "…'"
