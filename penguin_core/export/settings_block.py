"""The learner's settings as the first piece of the exported code: one commented block of Python literals.

Every value is written with repr() and read back with ast.literal_eval before
it is used, so nothing a learner typed can become code. The steps read these
names, so changing one (STANDARDIZE = True, say) changes the run, as in the app.
"""

from __future__ import annotations

import ast
import numbers
import re

from penguin_core.model import ModelSpec
from penguin_core.experiments.odds import raw_swing
from penguin_core.preparation import DataSpec
from penguin_core.settings import SETTINGS

COMMENT_COLUMN = 24
LINE = 100
ENGINE_NOTE = ("Penguin Lab trains with its own NumPy engine; Keras starts from other initial weights and "
               "shuffles its batches differently, so this run's numbers come close to the app's without being "
               "the same (the weights fingerprint on the Train page will not match).")


def literal(value) -> str:
    """``value`` (plain numbers, text, lists of them) as a Python literal that reads back as the same value."""
    plain = _plain(value)
    text = repr(plain)
    if ast.literal_eval(text) != plain:
        raise ValueError(f"{text[:40]} does not read back as itself")
    return text


def _plain(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    raise TypeError(f"{type(value).__name__} is not a plain setting")


def settings_code(data_spec: DataSpec, model_spec: ModelSpec) -> str:
    """The learner's settings as one commented block of assignments, one a row of the settings table."""
    body = comment_lines(ENGINE_NOTE)
    if not data_spec.standardize:
        body += comment_lines(f"{raw_swing()} Keras starts from other initial weights, so expect its number "
                              "anywhere in that range; with STANDARDIZE = True the two agree within a point or two.")
    for row in SETTINGS:
        value = getattr(data_spec if row.part == "data" else model_spec, row.field)
        if row.field == "hidden":
            value = [(layer.units, layer.activation) for layer in value]
        elif isinstance(value, tuple):
            value = list(value)
        line = f"{row.code_name} = {literal(value)}"
        comment = re.split(r"[.:;] ", row.help)[0].rstrip(".")
        comment = comment[:1].lower() + comment[1:]
        if len(line) > COMMENT_COLUMN - 2 or COMMENT_COLUMN + 2 + len(comment) > LINE:
            body += [f"# {row.code_name}: {comment}", line]
        else:
            body.append(f"{line:<{COMMENT_COLUMN}}# {comment}")
    return "\n".join(body)


def comment_lines(text: str, width: int = 78) -> list[str]:
    """``text`` as "# " lines of at most ``width`` characters."""
    lines, line = [], "#"
    for word in text.split():
        if len(line) + 1 + len(word) > width:
            lines.append(line)
            line = "#"
        line += " " + word
    return [*lines, line]
