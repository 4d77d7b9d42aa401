"""What the classroom reads back: a learner's membership, a pushed setup, and the instructor's board."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

EXERCISES = {
    "neuron": "What is the output of the neuron?",
    "outputs": "How many output neurons?",
    "parameters": "Parameters of the lesson's network",
    "parameters_11": "Parameters with 11 hidden neurons",
    "activation": "Which activation is this?",
}
"""The in-app exercises a class sees, by id, in the lesson's order (others posted later are shown after)."""


def same_answer(answer: str) -> str:
    """One form for answers that are the same number: "1,25" and " 1.25" are both "1.25"."""
    text = str(answer).strip()
    try:
        float(text.replace(",", "."))
    except ValueError:
        return text
    return text.replace(",", ".")


def tally(answers) -> list[tuple[str, int, bool]]:
    """(answer, how many gave it, correct) for (answer, correct) pairs, most common first."""
    counts = Counter((same_answer(answer), bool(correct)) for answer, correct in answers)
    return [(answer, n, correct) for (answer, correct), n in counts.most_common()]


@dataclass(frozen=True)
class Member:
    id: str
    code: str
    class_name: str
    name: str
    closed: bool = False  # the class takes no more posts


@dataclass(frozen=True)
class Pushed:
    """A setup the instructor offered the class: its number (each push a new one), a label, link parameters."""

    number: int
    label: str
    params: dict
    at: str = ""  # when it was pushed (ISO 8601, UTC)


@dataclass(frozen=True)
class ExerciseStats:
    id: str
    question: str
    rows: tuple[tuple[str, str, bool], ...]  # (learner, answer, correct)
    missing: tuple[str, ...]  # learners who have not answered
    first_try: int = 0  # right at the first answer, without seeing it
    after_seeing: int = 0  # right after choosing to see the answer

    @property
    def answered(self) -> int:
        return len(self.rows)

    @property
    def right(self) -> int:
        return sum(correct for _, _, correct in self.rows)

    def distribution(self) -> list[tuple[str, int, bool]]:
        return tally((answer, correct) for _, answer, correct in self.rows)

    def common_wrong(self) -> tuple[str, int] | None:
        """The most common wrong answer (the neuron's 1.5), if any."""
        wrong = [(answer, n) for answer, n, correct in self.distribution() if not correct]
        return wrong[0] if wrong else None


@dataclass(frozen=True)
class ClassRun:
    name: str  # the learner's
    settings: dict
    test_accuracy: float
    recall: dict
    fingerprint: str
    run_name: str = ""
    posted_at: datetime | None = None

    def never_predicted(self) -> list[str]:
        """The species this run never gets right on the test set (the lesson's Chinstrap point)."""
        return [species for species, value in self.recall.items() if value == 0]


@dataclass(frozen=True)
class Board:
    code: str
    name: str
    closed: bool
    learners: tuple[str, ...]
    exercises: tuple[ExerciseStats, ...]
    notes: tuple[tuple[str, str, str, datetime], ...]  # (learner, done|help, text, posted at), oldest first
    runs: tuple[ClassRun, ...]
    pushed: Pushed | None
    applied: tuple[str, ...] = ()  # learners who applied the last pushed setup
    put_aside: tuple[str, ...] = ()  # ... and who put it aside
    runs_posted: int = 0  # all the class's runs on the board (``runs``: the newest of them)

    @classmethod
    def of(cls, klass, people, given, stuck, trained, runs_posted: int | None = None) -> "Board":
        names = {member: name for member, name, *_ in people}
        by_exercise: dict[str, list] = {}
        for member, exercise, answer, correct, tries, seen in given:
            by_exercise.setdefault(exercise, []).append((member, answer, correct, tries, seen))
        order = list(EXERCISES) + sorted(set(by_exercise) - set(EXERCISES))
        exercises = []
        for exercise in order:
            rows = by_exercise.get(exercise, [])
            done = {member for member, *_ in rows}
            exercises.append(ExerciseStats(
                exercise, EXERCISES.get(exercise, exercise),
                tuple((names.get(m, "?"), a, bool(c)) for m, a, c, _, _ in rows),
                tuple(name for member, name, *_ in people if member not in done),
                sum(1 for _, _, c, tries, seen in rows if c and tries == 1 and not seen),
                sum(1 for _, _, c, _, seen in rows if c and seen)))
        notes = tuple((names.get(m, "?"), status, text, at)
                      for m, status, text, at in sorted(stuck, key=lambda r: r[3]))
        runs = tuple(ClassRun(names.get(r.member, "?"), dict(r.settings), float(r.test_accuracy), dict(r.recall),
                              r.fingerprint, r.run_name, r.posted_at) for r in trained)
        setup = klass.setup
        pushed = None if not setup else Pushed(int(setup["number"]), str(setup["label"]), dict(setup["params"]),
                                                str(setup.get("at", "")))
        replies = {"applied": [], "aside": []}
        for _, name, number, applied in people:
            if pushed is not None and number == pushed.number:
                replies["applied" if applied else "aside"].append(name)
        return cls(klass.code, klass.name, bool(klass.closed), tuple(name for _, name, *_ in people),
                   tuple(exercises), notes, runs, pushed, tuple(replies["applied"]), tuple(replies["aside"]),
                   len(runs) if runs_posted is None else runs_posted)

    def counts(self) -> dict[str, int]:
        return {status: sum(1 for _, s, *_ in self.notes if s == status) for status in ("done", "help")}
