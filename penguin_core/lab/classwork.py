"""A lab's part in a class: joining and leaving, the instructor's pushed setups, answers, notes and runs
posted; and, for an instructor, the class this session started or opened with its key.

Whatever goes wrong with the class (closed, posting too fast, the database
away) never costs the learner their work: the lab keeps it, and the reason is
shown once among the lab's notices.
"""

from __future__ import annotations

import logging

from penguin_core.classroom import Classroom, Member, Pushed
from penguin_core.classroom.rules import TooFast
from penguin_core.errors import PenguinError
from penguin_core.evaluation import evaluation_of
from penguin_core.exercises import CHECKS
from penguin_core.lab import link
from penguin_core.lab.state import Membership
from penguin_core.lab.store import key_hash

log = logging.getLogger(__name__)


class Classwork:
    """The learner's side. ``classroom`` is None when the server has no store (no class can be joined)."""

    def __init__(self, lab: "Lab", classroom: Classroom | None, code: str = ""):
        self.lab, self.classroom = lab, classroom
        self.code = code  # from a join link (?class=K7P2QX): the code the join form starts with
        self.shown = 0  # the newest pushed setup this tab has been told about
        self.closed: bool | None = None  # whether the class was closed when this tab last looked

    @property
    def joined(self) -> Membership | None:
        return self.lab.state.classroom if self.classroom is not None else None

    def member(self) -> Member | None:
        """The learner this lab is in its class (None when it joined none, or the class is gone)."""
        if self.joined is None:
            return None
        return self.classroom.member(self.joined.code, key_hash(self.lab.state.key))

    def join(self, code: str, name: str) -> Member:
        """Join with a display name (PenguinError saying why not); the class's current setup comes along."""
        if self.classroom is None:
            raise PenguinError("The class board needs the server's store, which is not available on this server.")
        member = self.classroom.join(code, key_hash(self.lab.state.key), name, self.lab.client or "")
        self.lab.state.classroom = Membership(member.code, member.name)
        self.send_earlier_work()
        pushed = self.classroom.pushed(member.code)
        if pushed is not None:  # the join link brings the class's current setup
            self.apply(pushed)
        self.lab.save()
        return member

    def send_earlier_work(self) -> None:
        """What the learner did before joining goes to the class too: each answer checked so far and the
        current run; a notice says so."""
        state, sent = self.lab.state, []
        for exercise_id, typed in state.answers.items():
            correct = state.solved.get(exercise_id, False) if typed else None
            checked = CHECKS.get(exercise_id)
            if checked is not None and typed:
                feedback = checked.check(typed)
                correct = None if feedback is None else feedback.correct
            if correct is not None:
                self.answer(exercise_id, typed, correct, state.tries.get(exercise_id, 1), exercise_id in state.peeked)
                sent.append(exercise_id)
        if state.run is not None and state.run in state.history:
            self.run(state.run)
        if sent or state.run is not None and state.run in state.history:
            state.notices.append(f"Sent to your class: your work so far ({len(sent)} answer"
                                 f"{'s' if len(sent) != 1 else ''}"
                                 + (f" and {state.run.name}" if state.run in state.history else "") + ").")

    def leave(self) -> None:
        self.lab.state.classroom = None
        self.code = ""
        self.lab.save()

    def pushed(self) -> Pushed | None:
        """The setup the instructor pushed last, until the learner applied it or put it aside."""
        if self.joined is None:
            return None
        try:
            pushed = self.classroom.pushed(self.joined.code)
        except Exception:  # the board away: the learner's own lab goes on
            log.exception("reading the class's setup failed")
            return None
        return pushed if pushed is not None and pushed.number > self.joined.applied else None

    def news(self) -> bool:
        """Whether something happened in the class that this tab has not been told about yet (then it has been):
        a setup pushed, the class closed or reopened, or deleted (then this lab is out of it)."""
        if self.joined is None:
            return False
        try:
            member = self.member()
        except Exception:  # the board away: the learner's own lab goes on
            log.exception("reading the class failed")
            return False
        if member is None:
            self.lab.state.notices.append(f"Your class {self.joined.code} no longer exists: its instructor deleted "
                                          "it. You are out of it; your lab, runs and answers are unchanged.")
            self.lab.state.classroom, self.code, self.closed = None, "", None
            self.lab.save()
            return True
        if self.lab.state.unsent and not member.closed:
            self.resend()
        told, self.closed = self.closed, member.closed
        if told is not None and told != member.closed:
            self.lab.state.notices.append("Your instructor closed the class: your answers and runs stay in your lab "
                                          "and are no longer sent." if member.closed else
                                          "Your instructor reopened the class: your work is sent again.")
            return True
        pushed = self.pushed()
        if pushed is None or pushed.number == self.shown:
            return False
        self.shown = pushed.number
        return True

    def changes(self, pushed: Pushed) -> list[str]:
        """What applying ``pushed`` would change in this lab, one phrase a setting."""
        setup, _ = link.from_params(pushed.params)
        return link.changes(link.Setup(self.lab.state.data_spec, self.lab.state.model_spec), setup)

    def apply(self, pushed: Pushed) -> list[str]:
        """Take a pushed setup's settings; what could not be used is said among the notices."""
        ignored = self.lab.apply_setup(pushed.params)
        self.joined.applied = pushed.number
        self._post(("setup", pushed.number, True))
        if ignored:
            self.lab.state.notices.append("Some of the shared settings could not be used: " + "; ".join(ignored) + ".")
        return ignored

    def put_aside(self, pushed: Pushed) -> None:
        self.joined.applied = pushed.number
        self._post(("setup", pushed.number, False))

    def note(self, choice: str | None, text: str = "") -> None:
        """A sticky note ("done", "help") for the instructor, or None to take it down."""
        member = self.member()
        if member is None:
            raise PenguinError("Join a class first.")
        self.classroom.post_note(member, choice, text)

    def answer(self, exercise: str, typed: str, correct: bool, tries: int = 1, seen: bool = False) -> None:
        self._post(("answer", exercise, typed, correct, tries, seen))

    def run(self, run) -> None:
        self._post(("run", run.id))

    # --- posts: sent now, or kept in the lab's outbox and sent again until the class has them ---------------

    def _post(self, post: tuple) -> None:
        """Send ``post`` (a kind and its values, plain data) to the class; when the board cannot take it now
        (the database away or full, posts too fast), it waits in ``state.unsent`` for ``resend``."""
        state = self.lab.state
        try:
            member = self.member()
            if member is not None:
                self._send(member, post)
        except TooFast:
            self._keep(post)
        except PenguinError as error:  # the class refuses it for good (closed, say): the learner is told
            state.notices.append(f"Not sent to your class: {error}")
        except Exception:  # the database away: the lab keeps it and sends it again
            log.exception("posting to the class failed")
            if not state.unsent:
                state.notices.append("Not sent to your class yet: the class board could not be reached. Your "
                                     "work is kept and sent again within seconds.")
            self._keep(post)

    def resend(self) -> bool:
        """Send what the outbox holds, oldest first, until one fails; whether it is empty now."""
        state = self.lab.state
        while state.unsent:
            post = state.unsent[0]
            try:
                member = self.member()
                if member is None:
                    state.unsent.clear()  # no class to send to any more
                    break
                self._send(member, post)
            except TooFast:
                return False
            except PenguinError as error:
                state.notices.append(f"Not sent to your class: {error}")
            except Exception:
                log.exception("sending again to the class failed")
                return False
            state.unsent.pop(0)
        return True

    def _keep(self, post: tuple) -> None:
        """Into the outbox, replacing what it supersedes (a later answer to the same exercise, say)."""
        same = (lambda p: p[:2] == post[:2]) if post[0] in ("answer", "run") else (lambda p: p[0] == post[0])
        state = self.lab.state
        state.unsent = [p for p in state.unsent if not same(p)] + [post]

    def _send(self, member: Member, post: tuple) -> None:
        kind, *values = post
        if kind == "answer":
            self.classroom.post_answer(member, *values)
        elif kind == "setup":
            self.classroom.answer_setup(member, *values)
        elif kind == "run":
            state = self.lab.state
            run = next((r for r in [*state.history, state.run] if r is not None and r.id == values[0]), None)
            if run is not None:  # a run deleted meanwhile is not sent
                evaluation = evaluation_of(run)
                self.classroom.post_run(member, run.id, link.to_params(link.Setup(run.data_spec, run.model_spec)),
                                        evaluation.accuracy, evaluation.per_class["recall"].to_dict(),
                                        run.network.fingerprint(), run.name)


class Teaching:
    """The instructor's side: the class this session started, or opened with its code and key."""

    def __init__(self, classroom: Classroom | None, code: str = "", key: str = ""):
        self.classroom, self.code, self.key = classroom, code, key
        self.started = ""  # the code of a class started in this session, to show its links

    def start(self, name: str, client: str | None = None) -> tuple[str, str]:
        """A new class: its code and its instructor key, now this session's (starts are counted by ``client``)."""
        if self.classroom is None:
            raise PenguinError("The class board needs the server's store, which is not available on this server.")
        self.code, self.key = self.classroom.start(name, client or "")
        self.started = self.code
        return self.code, self.key

    def open(self, code: str, key: str) -> str:
        """Open a class's board with its code and key (PenguinError when they do not match); its name."""
        name = self.classroom.check_key(code.strip().upper(), key.strip())
        self.code, self.key = code.strip().upper(), key.strip()
        return name

    def class_name(self) -> str | None:
        """The name of the class this session holds the key to, or None."""
        if self.classroom is None or not self.code:
            return None
        try:
            return self.classroom.check_key(self.code, self.key)
        except PenguinError:
            return None

    def board(self):
        return self.classroom.board(self.code, self.key)

    def clear_notes(self) -> None:
        self.classroom.clear_notes(self.code, self.key)

    def push(self, params: dict[str, str], label: str) -> int:
        """Send a setup to every learner of the class; its number."""
        return self.classroom.push_setup(self.code, self.key, params, label)

    def close(self, closed: bool = True) -> None:
        self.classroom.close(self.code, self.key, closed)

    def replace_key(self) -> str:
        """A new instructor key, now this session's; the old one opens nothing any more."""
        self.key = self.classroom.replace_key(self.code, self.key)
        return self.key

    def export_csv(self) -> bytes:
        return self.classroom.export_csv(self.code, self.key)

    def delete(self) -> None:
        """The class and everything posted to it; this session holds no class any more."""
        self.classroom.delete(self.code, self.key)
        self.code = self.key = self.started = ""

    def params(self) -> dict[str, str]:
        """The class code and instructor key for this session's address."""
        return {name: value for name, value in (("class", self.code), ("teach", self.key)) if value}
