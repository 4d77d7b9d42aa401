"""The run as a Jupyter notebook (nbformat v4): for each piece, its why in a Markdown cell, then its code."""

from __future__ import annotations

import functools

from penguin_core.errors import PenguinError
from penguin_core.export.steps import INTRO, REQUIREMENTS, pieces
from penguin_core.model import ModelSpec
from penguin_core.preparation import DataSpec

KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


@functools.lru_cache(maxsize=32)
def notebook_json(data_spec: DataSpec, model_spec: ModelSpec) -> str:
    """penguin_run.ipynb as JSON text; the same settings give the same bytes (cells have fixed ids)."""
    try:
        import nbformat
    except ImportError:  # a server installed without it still offers the script
        raise PenguinError("The notebook cannot be made on this server (nbformat is not installed): "
                           "the script holds the same code.") from None
    v4 = nbformat.v4
    cells = [v4.new_markdown_cell(f"# A penguin run from Penguin Lab\n\n{INTRO}\n\nIt needs `{REQUIREMENTS}`. "
                                 "Run all cells, in order.")]
    for number, piece in enumerate(pieces(data_spec, model_spec), start=1):
        cells += [v4.new_markdown_cell(f"## {piece.title}\n\n{piece.why}"), v4.new_code_cell(piece.code)]
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"
    notebook = v4.new_notebook(cells=cells, metadata={"kernelspec": KERNEL, "language_info": {"name": "python"}})
    return nbformat.writes(notebook)
