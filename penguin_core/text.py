"""Text from outside (a file, a link, a learner's typing) shown as text: never as Markdown, HTML or a command.

Streamlit renders Markdown in titles, captions and alerts, and Plotly renders
a little HTML in labels, so a name such as ``![x](http://host/img)`` or
``<a href=…>`` would become an image fetched from elsewhere or a link.
Everything that came from outside goes through one of these on its way to
the page.
"""

from __future__ import annotations

import html
import re
import string
import unicodedata

from penguin_core.errors import PenguinError

MAX_NAME = 40
"""The longest run name (or display name) the lab keeps."""
MAX_TYPED = 500
"""The longest list a learner types into a box (a neuron's inputs, a sweep's values): checked before parsing."""
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_LINKABLE = re.compile(r"(?<=\\:)(?=\\/\\/)|(?i:(?<=www))(?=\\\.)|(?<=\\@)")


def clean_name(text: str, limit: int = MAX_NAME) -> str:
    """One line of printable text, at most ``limit`` characters: control and format characters dropped."""
    kept = "".join(" " if ch.isspace() else ch for ch in str(text)
                   if ch.isspace() or unicodedata.category(ch)[0] != "C")
    return " ".join(kept.split())[:limit]


def typed_list(text, what: str, most: int, limit: int = MAX_TYPED) -> list[str]:
    """The comma-separated items of ``text`` (semicolons too), at most ``most`` of them, the text at most
    ``limit`` characters: its length is checked before anything is split or parsed (a box sent from a
    script may hold millions of numbers)."""
    text = str(text)
    if len(text) > limit:
        raise PenguinError(f"{what}: at most {limit} characters (got {len(text):,}); type at most {most} values.")
    items = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if len(items) > most:
        raise PenguinError(f"{what}: at most {most} values, got {len(items)}.")
    return items


def markdown_literal(text: str) -> str:
    """``text`` for a Markdown context, reading exactly as typed: every punctuation mark escaped, and an
    invisible space inside each "://", "www." and "@", so that no address in it becomes a link
    (GitHub-flavoured Markdown links bare addresses even when their punctuation is escaped)."""
    escaped = _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))
    return _LINKABLE.sub("\u200b", escaped)


def html_literal(text: str) -> str:
    """``text`` for Plotly labels and legends, which render a few HTML tags."""
    return html.escape(str(text), quote=True)


def file_stem(name: str) -> str:
    """A file name made of letters, digits, dots, dashes and underscores only, safe in any shell or path."""
    stem = re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9._-]+", "-", clean_name(name))).strip("-.")
    return stem[:40] or "penguin-model"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """``value``, with an apostrophe before text starting like a formula (=, +, -, @, tab, return): a CSV
    a spreadsheet opens as data, never as a formula to run."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value
