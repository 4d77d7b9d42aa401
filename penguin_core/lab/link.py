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

Settings are named as in the link (``std``, ``lr``, ``hidden``: each row's
``name`` in ``penguin_core.settings.SETTINGS``, which also reads and writes
every value); a setting's own field name (``standardize``) is read too.
A hidden or fixed setting keeps the link's value (``fix=std&std=1``: on;
``fix=std`` alone: the lesson's off) whatever the learner does, "Reset to
the lesson" included; a setting both hidden and fixed is hidden. This is
one list per kind rather than Playground's ``std_hide=true`` per control, so
a tailored link reads as three short lists. Names that are not settings or
pages are ignored and named, like a mistyped setting. Tailoring is a
teaching aid, not a lock: whoever edits the address can remove it.
"""

from __future__ import annotations

from dataclasses import dataclass

from penguin_core.errors import PenguinError
from penguin_core.model import ModelSpec
from penguin_core.preparation import DataSpec
from penguin_core.settings import BY_FIELD, BY_NAME, SETTINGS
from penguin_core.workflow import PAGES

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
        row = BY_NAME[name]
        return getattr(self.data_spec if row.part == "data" else self.model_spec, row.field)


def changes(before: Setup, after: Setup) -> list[str]:
    """What going from ``before`` to ``after`` changes, one phrase a setting ("Epochs: 300 → 100")."""
    return [f"{row.label}: {row.show(before.value(row.name))} → {row.show(after.value(row.name))}"
            for row in SETTINGS if before.value(row.name) != after.value(row.name)]


@dataclass(frozen=True)
class Tailoring:
    """What a tailored link hides and fixes, and the values it holds those settings at.

    hide, fix:  settings by their link names (``Setting.name``); a name in both is only hidden.
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
        unknown = sorted((hide | fix) - set(BY_NAME)) + sorted(pages - set(HIDEABLE_PAGES))
        if unknown:
            raise ValueError(f"cannot hide or fix {unknown[0]!r}")
        object.__setattr__(self, "hide", hide)
        object.__setattr__(self, "fix", fix - hide)
        object.__setattr__(self, "hide_pages", pages)

    def hides(self, field: str) -> bool:
        """Whether the control of ``field`` (a DataSpec or ModelSpec field) is left out."""
        return field in BY_FIELD and BY_FIELD[field].name in self.hide

    def fixes(self, field: str) -> bool:
        """Whether the control of ``field`` is drawn read-only."""
        return field in BY_FIELD and BY_FIELD[field].name in self.fix

    def params(self) -> dict[str, str]:
        """The tailoring's own parameters (settings apart), in a steady order: SETTINGS', then PAGES'."""
        names = [row.name for row in SETTINGS]
        lists = {"hide": [n for n in names if n in self.hide], "fix": [n for n in names if n in self.fix],
                 "hide_pages": [url for url in HIDEABLE_PAGES if url in self.hide_pages]}
        return {name: ",".join(items) for name, items in lists.items() if items}

    def hold(self, setup: Setup) -> Setup:
        """``setup`` with every hidden or fixed setting at this tailoring's value.

        Should the held values clash with a changed one (shuffle held off, stratify turned back on by a
        reset), that part of the setup is the link's own.
        """
        changes: dict[str, dict] = {"data": {}, "model": {}}
        for name in self.hide | self.fix:
            changes[BY_NAME[name].part][BY_NAME[name].field] = self.values.value(name)
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
    return {row.name: row.format_value(setup.value(row.name)) for row in SETTINGS
            if setup.value(row.name) != row.default}


def from_params(params: dict[str, str]) -> tuple[Setup, list[str]]:
    """The setup a link describes, and one sentence per parameter that was ignored (and why)."""
    changes: dict[str, dict] = {"data": {}, "model": {}}
    ignored = []
    for name, text in list(params.items())[:50]:
        if name in OTHER:
            continue
        row = BY_NAME.get(name)
        if row is None:
            hidden = str(name)[:-5] if str(name).endswith("_hide") else None
            hidden = BY_FIELD[hidden].name if hidden in BY_FIELD else hidden
            hint = f" (to hide its control, write hide={hidden})" if hidden in BY_NAME else ""  # Playground's way
            ignored.append(f"{_shown(name)} is not a setting{hint}")
            continue
        try:
            value = row.parse(str(text)[:MAX_VALUE + 1])
        except (PenguinError, ValueError) as error:
            ignored.append(f"{name}={_shown(text)}: {str(error).rstrip('.')}")
            continue
        changes[row.part][row.field] = (name, value)
    specs = [_combined(kind, changes[part], ignored) for part, kind in (("data", DataSpec), ("model", ModelSpec))]
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
        known = BY_NAME if parameter != "hide_pages" else HIDEABLE_PAGES
        if parameter != "hide_pages":
            names = [BY_FIELD[name].name if name in BY_FIELD else name for name in names]  # standardize -> std
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


def _shown(value) -> str:
    text = repr(str(value))
    return text if len(text) <= 30 else text[:27] + "…'"
