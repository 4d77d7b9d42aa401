"""The current run as code to take away: a plain Keras script and a Jupyter notebook, written the lesson's way.

    script_text(run.data_spec, run.model_spec)    # penguin_run.py
    notebook_json(run.data_spec, run.model_spec)  # penguin_run.ipynb (needs nbformat)

Both are made of the same pieces (``steps.pieces``): the learner's settings as
literals in one block (``settings_block``), then the lesson's steps, which read them.
"""

from penguin_core.export.notebook import notebook_json
from penguin_core.export.script import script_text
from penguin_core.export.settings_block import settings_code
from penguin_core.export.steps import Piece, pieces

__all__ = ["Piece", "notebook_json", "pieces", "script_text", "settings_code"]
