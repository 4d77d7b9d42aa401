"""A lab's part in a class: its answers and finished runs posted to the classroom it joined.

The lab calls ``answer`` and ``run`` (``LabState.poster``); a post that
fails (the class closed, posting too fast, the database away) never costs
the learner their work: the lab keeps it, and the reason is shown once.
"""

from __future__ import annotations

import functools
import logging

from penguin_core.classroom import Classroom, Member
from penguin_core.errors import PenguinError
from penguin_core.evaluation import evaluate_run
from penguin_core.lab import link
from penguin_core.lab.store import key_hash
from penguin_core.preparation import prepared

log = logging.getLogger(__name__)


class ClassPoster:
    def __init__(self, classroom: Classroom):
        self.classroom = classroom

    def member(self, state) -> Member | None:
        """The learner this lab is in its class (None when it joined none, or the class is gone)."""
        if not state.classroom:
            return None
        return self.classroom.member(state.classroom["code"], key_hash(state.key))

    def answer(self, state, exercise: str, typed: str, correct: bool) -> None:
        self._post(state, lambda member: self.classroom.post_answer(member, exercise, typed, correct))

    def run(self, state, run) -> None:
        def post(member):
            evaluation = evaluate_run(run, prepared(run.data_spec))
            self.classroom.post_run(member, run.id, link.to_params(link.Setup(run.data_spec, run.model_spec)),
                                    evaluation.accuracy, evaluation.per_class["recall"].to_dict(),
                                    run.network.fingerprint())
        self._post(state, post)

    def _post(self, state, post) -> None:
        member = self.member(state) if state.classroom else None
        if member is None:
            return
        try:
            post(member)
        except PenguinError as error:
            state.notices.append(f"Not sent to your class: {error}")
        except Exception:  # the database away: the learner's own lab still has it
            log.exception("posting to the class failed")
            state.notices.append("Not sent to your class: the class board could not be reached. Your work is kept.")



@functools.lru_cache(maxsize=None)
def class_poster(database) -> ClassPoster:
    """One poster (and so one posting limit) per database, shared by every session of the server."""
    return ClassPoster(Classroom(database))
