"""The run as one plain Python script: the pieces in order, each step's why as comments above its code."""

from __future__ import annotations

from penguin_core.export.settings_block import comment_lines
from penguin_core.export.steps import INTRO, REQUIREMENTS, pieces
from penguin_core.model import ModelSpec
from penguin_core.preparation import DataSpec


def script_text(data_spec: DataSpec, model_spec: ModelSpec) -> str:
    """penguin_run.py: run it with ``python penguin_run.py``."""
    header = "\n".join(["# penguin_run.py", *comment_lines(INTRO), "#", "# It needs:  " + REQUIREMENTS,
                        "# Run it:    python penguin_run.py"])
    steps = ["\n".join([f"# ===== {piece.title} =====", *comment_lines(piece.why), piece.code])
             for piece in pieces(data_spec, model_spec)]
    return "\n\n".join([header, *steps]) + "\n"
