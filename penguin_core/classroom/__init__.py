"""The classroom: the workshop's shared document, live in the lab, on the lab's own database.

An instructor starts a class (``Classroom.start``: a join code and a secret
instructor key); learners join with a display name (``join``: their lab is
their identity, so a reload or a later visit is the same learner); answers,
sticky notes and finished runs are posted (``post_answer``, ``post_note``,
``post_run``), each committed before the call returns; the instructor reads
the ``board`` and may push a setup, clear the notes, close, export or delete
the class. Never imports streamlit.
"""

from penguin_core.classroom.models import EXERCISES, Board, Member, Pushed
from penguin_core.classroom.rules import normal_code
from penguin_core.classroom.store import Classroom

__all__ = ["EXERCISES", "Board", "Classroom", "Member", "Pushed", "normal_code"]
