"""What the classroom reads back: a learner's membership, a pushed setup, and the instructor's board."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

EXERCISES = {
    "neuron": "What is the output of the neuron?",
    "outputs": "How many output neurons?",
    "parameters": "Parameters of the lesson's network",
    "parameters_11": "Parameters with 11 hidden neurons",
    "activation": "Which activation is this?",
}
"""The in-app exercises a class sees, by id, in the lesson's order (others posted later are shown after)."""


def tally(answers) -> list[tuple[str, int, bool]]:
    """(answer, how many gave it, correct) for (answer, correct) pairs, most common first."""
    counts = Counter((answer, bool(correct)) for answer, correct in answers)
    return [(answer, n, correct) for (answer, correct), n in counts.most_common()]


@dataclass(frozen=True)
class Member:
    id: str
    code: str
    class_name: str
    name: str


@dataclass(frozen=True)
class Pushed:
    """A setup the instructor offered the class: its number (each push a new one), a label, link parameters."""

    number: int
    label: str
    params: dict


@dataclass(frozen=True)
class ExerciseStats:
    id: str
    question: str
    rows: tuple[tuple[str, str, bool], ...]  # (learner, answer, correct)
    missing: tuple[str, ...]  # learners who have not answered

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
    notes: tuple[tuple[str, str, str], ...]  # (learner, done|help, text), oldest first
    runs: tuple[ClassRun, ...]
    pushed: Pushed | None

    @classmethod
    def of(cls, klass, people, given, stuck, trained) -> "Board":
        names = {member: name for member, name in people}
        by_exercise: dict[str, list] = {}
        for member, exercise, answer, correct in given:
            by_exercise.setdefault(exercise, []).append((member, answer, correct))
        order = list(EXERCISES) + sorted(set(by_exercise) - set(EXERCISES))
        exercises = []
        for exercise in order:
            rows = by_exercise.get(exercise, [])
            done = {member for member, _, _ in rows}
            exercises.append(ExerciseStats(
                exercise, EXERCISES.get(exercise, exercise),
                tuple((names.get(m, "?"), a, bool(c)) for m, a, c in rows),
                tuple(name for member, name in people if member not in done)))
        notes = tuple((names.get(m, "?"), status, text) for m, status, text, _ in sorted(stuck, key=lambda r: r[3]))
        runs = tuple(ClassRun(names.get(r.member, "?"), dict(r.settings), float(r.test_accuracy), dict(r.recall),
                              r.fingerprint) for r in trained)
        setup = klass.setup
        pushed = None if not setup else Pushed(int(setup["number"]), str(setup["label"]), dict(setup["params"]))
        return cls(klass.code, klass.name, bool(klass.closed), tuple(name for _, name in people),
                   tuple(exercises), notes, runs, pushed)

    def counts(self) -> dict[str, int]:
        return {status: sum(1 for _, s, _ in self.notes if s == status) for status in ("done", "help")}
