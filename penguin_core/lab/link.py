"""A lab's settings as a link: the query parameters of the page's address, and back.

Only settings that differ from the lesson's are written, so the lesson's own
setup is the bare address and a link reads like a list of changes
(``?std=1&hidden=16-relu,8-tanh&epochs=300``). Reading a link takes each
parameter on its own: one that is unknown, malformed or out of range is
ignored (its setting keeps the lesson's value) and named in the notices, so
a mistyped link still opens the lab.

A link can also be *tailored* for an exercise, as TensorFlow Playground's
hidden controls let an instructor do. Three more parameters, each a
comma-separated list:

- ``hide=epochs,lr``: these settings' controls are not drawn on any page;
- ``fix=std``: these are drawn read-only, showing their value;
- ``hide_pages=explore,playground``: these pages (by address, as in
  ``penguin_core.workflow.PAGES``) leave the navigation; the start page
  cannot be hidden.

Settings are named as in the link (``std``, ``lr``, ``hidden``: the keys of
``SETTINGS``); a setting's own field name (``standardize``) is read too.
A hidden or fixed setting keeps the link's value (``fix=std&std=1``: on;
``fix=std`` alone: the lesson's off) whatever the learner does, "Reset to
the lesson" included; a setting both hidden and fixed is hidden. This is
one list per kind rather than Playground's ``std_hide=true`` per control, so
a tailored link reads as three short lists. Names that are not settings or
pages are ignored and named, like a mistyped setting. Tailoring is a
teaching aid, not a lock: whoever edits the address can remove it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from penguin_core.errors import PenguinError
from penguin_core.model import HiddenLayer, ModelSpec
from penguin_core.preparation import DataSpec
from penguin_core.workflow import PAGES

SETTINGS = {  # parameter: (which settings, field)
    "features": ("data", "features"), "extra": ("data", "categorical"), "test": ("data", "test_size"),
    "val": ("data", "validation_size"), "split_seed": ("data", "random_state"), "shuffle": ("data", "shuffle"),
    "stratify": ("data", "stratify"), "std": ("data", "standardize"), "hidden": ("model", "hidden"),
    "optimizer": ("model", "optimizer"), "lr": ("model", "learning_rate"), "batch": ("model", "batch_size"),
    "epochs": ("model", "epochs"), "seed": ("model", "seed"),
}
"""Every setting a link can carry, under a short name."""
NAMES = {
    "features": "measurements", "extra": "one-hot extras", "test": "test fraction", "val": "validation fraction",
    "split_seed": "split seed", "shuffle": "shuffle", "stratify": "stratify", "std": "standardize",
    "hidden": "hidden layers", "optimizer": "optimizer", "lr": "learning rate", "batch": "batch size",
    "epochs": "epochs", "seed": "seed",
}
"""Each setting as a learner reads it (in a notice, in the list of controls to hide)."""
FIELD_NAMES = {field: name for name, (_, field) in SETTINGS.items()}
"""A setting's field (``standardize``) to its name in a link (``std``)."""
TAILORING = ("hide", "fix", "hide_pages")
"""The parameters that tailor a link (see above)."""
OTHER = {"lab", "projector", "class", "teach", *TAILORING}
"""Parameters that are not settings (the lab's key, projector mode, a class's code and instructor key,
tailoring); never written by ``to_params``."""
MAX_VALUE = 200
MAX_NAMED = 5
"""At most this many ignored names are listed per tailoring parameter."""


@dataclass(frozen=True)
class Setup:
    data_spec: DataSpec = DataSpec()
    model_spec: ModelSpec = ModelSpec()

    def value(self, name: str):
        """The value of the setting a link calls ``name`` (``std``)."""
        which, field = SETTINGS[name]
        return getattr(self.data_spec if which == "data" else self.model_spec, field)


@dataclass(frozen=True)
class Tailoring:
    """What a tailored link hides and fixes, and the values it holds those settings at.

    hide, fix:  settings by their link names (keys of ``SETTINGS``); a name in both is only hidden.
    hide_pages: page addresses (``Page.url``), never the start page.
    values:     the settings the hidden and fixed controls keep (the link's own).
    Built from a link by ``read_tailoring``, or from an instructor's choices; the constructor refuses
    names it does not know (ValueError).
    """

    hide: frozenset[str] = frozenset()
    fix: frozenset[str] = frozenset()
    hide_pages: frozenset[str] = frozenset()
    values: Setup = Setup()

    def __post_init__(self):
        hide, fix, pages = frozenset(self.hide), frozenset(self.fix), frozenset(self.hide_pages)
        unknown = sorted((hide | fix) - set(SETTINGS)) + sorted(pages - set(HIDEABLE_PAGES))
        if unknown:
            raise ValueError(f"cannot hide or fix {unknown[0]!r}")
        object.__setattr__(self, "hide", hide)
        object.__setattr__(self, "fix", fix - hide)
        object.__setattr__(self, "hide_pages", pages)

    def hides(self, field: str) -> bool:
        """Whether the control of ``field`` (a DataSpec or ModelSpec field) is left out."""
        return FIELD_NAMES.get(field) in self.hide

    def fixes(self, field: str) -> bool:
        """Whether the control of ``field`` is drawn read-only."""
        return FIELD_NAMES.get(field) in self.fix

    def params(self) -> dict[str, str]:
        """The tailoring's own parameters (settings apart), in a steady order: SETTINGS', then PAGES'."""
        lists = {"hide": [n for n in SETTINGS if n in self.hide], "fix": [n for n in SETTINGS if n in self.fix],
                 "hide_pages": [url for url in HIDEABLE_PAGES if url in self.hide_pages]}
        return {name: ",".join(items) for name, items in lists.items() if items}

    def hold(self, setup: Setup) -> Setup:
        """``setup`` with every hidden or fixed setting at this tailoring's value.

        Should the held values clash with a changed one (shuffle held off, stratify turned back on by a
        reset), that part of the setup is the link's own.
        """
        changes: dict[str, dict] = {"data": {}, "model": {}}
        for name in self.hide | self.fix:
            which, field = SETTINGS[name]
            changes[which][field] = self.values.value(name)
        specs = []
        for which, spec, linked in (("data", setup.data_spec, self.values.data_spec),
                                    ("model", setup.model_spec, self.values.model_spec)):
            try:
                specs.append(spec.replace(**changes[which]) if changes[which] else spec)
            except PenguinError:
                specs.append(linked)
        return Setup(*specs)


HIDEABLE_PAGES = tuple(entry.url for entry in PAGES[1:])
"""Pages a link may hide: all but the first, the start page."""


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
            hidden = FIELD_NAMES.get(str(name)[:-5], str(name)[:-5]) if str(name).endswith("_hide") else None
            hint = f" (to hide its control, write hide={hidden})" if hidden in SETTINGS else ""  # Playground's way
            ignored.append(f"{_shown(name)} is not a setting{hint}")
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


def read_tailoring(params: dict[str, str], setup: Setup) -> tuple[Tailoring, list[str]]:
    """The tailoring a link describes (its values: ``setup``, the link's settings), and one sentence per
    name that was ignored (and why)."""
    chosen: dict[str, set[str]] = {}
    ignored = []
    for parameter in TAILORING:
        text = str(params.get(parameter, ""))
        if len(text) > MAX_VALUE:
            ignored.append(f"{parameter}: longer than {MAX_VALUE} characters")
            text = ""
        names = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
        known = SETTINGS if parameter != "hide_pages" else HIDEABLE_PAGES
        if parameter != "hide_pages":
            names = [FIELD_NAMES.get(name, name) for name in names]  # standardize -> std
        chosen[parameter] = {name for name in names if name in known}
        unknown = [name for name in names if name not in known]
        reasons = ["the start page cannot be hidden" if name == PAGES[0].url else
                   f"{_shown(name)} is not a {'page' if parameter == 'hide_pages' else 'setting'}"
                   for name in unknown[:MAX_NAMED]]
        if len(unknown) > MAX_NAMED:
            reasons.append(f"and {len(unknown) - MAX_NAMED} more")
        ignored += [f"{parameter}: {reason}" for reason in reasons]
    return Tailoring(chosen["hide"], chosen["fix"], chosen["hide_pages"], setup), ignored


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
