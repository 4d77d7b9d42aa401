"""A class on the lab's database: start, join, post (answers, notes, runs), read the board, push a setup.

Every post is committed before the call returns, so a page that says
"received" never lies, and every server behind a load balancer sees it at
once. Instructor actions take the instructor's key and check it first.
"""

from __future__ import annotations

import csv
import datetime
import io
import secrets

from sqlalchemy import delete, func, insert, select, union, update

from penguin_core.classroom import rules
from penguin_core.classroom.models import Board, Member, Pushed, tally
from penguin_core.database import Database
from penguin_core.database.schema import answers, class_runs, classes, members, notes
from penguin_core.errors import PenguinError
from penguin_core.settings import SETTINGS
from penguin_core.text import spreadsheet_safe

NOTE_STATUSES = ("done", "help")


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class Classroom:
    """The classes of one database; one per server process, shared by every session."""

    def __init__(self, database: Database, limit: rules.PostLimit | None = None):
        self.database = database
        self.limit = limit or rules.PostLimit()
        self.starts = rules.Attempts(rules.STARTS_PER_HOUR, 3600)
        self.wrong_codes = rules.Attempts(rules.WRONG_CODES, 60)

    # the instructor ------------------------------------------------------------------------------

    def start(self, name: str, client: str = "") -> tuple[str, str]:
        """A new class: its join code and the instructor's key (shown once, to the instructor only)."""
        name = rules.bounded(name, rules.MAX_CLASS_NAME, "class name")
        if self.starts.spent(client):
            raise PenguinError(f"At most {rules.STARTS_PER_HOUR} classes an hour can be started from one place: "
                               "use a class you started, or wait a while.")
        key = rules.new_key()
        with self.database.engine.begin() as connection:
            if connection.execute(select(func.count()).select_from(classes)).scalar() >= rules.MAX_CLASSES:
                raise PenguinError("This server holds as many classes as it may just now: try again later, or "
                                   "ask whoever runs it to delete old ones.")
            self.starts.count(client)
            for _ in range(20):
                code = rules.new_code()
                if connection.execute(select(classes.c.code).where(classes.c.code == code)).first() is None:
                    connection.execute(insert(classes).values(code=code, name=name, key_hash=rules.key_hash(key),
                                                              created_at=now(), closed=False))
                    return code, key
        raise PenguinError("Could not find a free class code; try again.")

    def replace_key(self, code: str, key: str) -> str:
        """A new instructor key for the class (the old one, leaked on a projector say, opens nothing any more)."""
        self.check_key(code, key)
        new = rules.new_key()
        with self.database.engine.begin() as connection:
            connection.execute(update(classes).where(classes.c.code == code).values(key_hash=rules.key_hash(new)))
        return new

    def check_key(self, code: str, key: str | None) -> str:
        """The class's name if ``key`` is its instructor key, else PenguinError (never saying which part was wrong)."""
        code = rules.normal_code(code)
        row = None if code is None else self._class(code)
        if row is None or not rules.key_matches(key, row.key_hash):
            raise PenguinError("This instructor link is not valid: ask whoever started the class for theirs.")
        return row.name

    def board(self, code: str, key: str) -> Board:
        """Everything the instructor's view shows, read in one transaction (the newest ``rules.BOARD_RUNS``
        runs: the board is read every half second)."""
        self.check_key(code, key)
        with self.database.engine.begin() as connection:
            klass = connection.execute(select(classes).where(classes.c.code == code)).one()
            people = connection.execute(select(members.c.id, members.c.name, members.c.setup_number,
                                               members.c.setup_applied).where(members.c.class_code == code)
                                        .order_by(members.c.joined_at)).all()
            given = connection.execute(select(answers.c.member, answers.c.exercise, answers.c.answer,
                                              answers.c.correct, answers.c.tries, answers.c.seen)
                                       .where(answers.c.class_code == code)).all()
            stuck = connection.execute(select(notes.c.member, notes.c.status, notes.c.text, notes.c.posted_at)
                                       .where(notes.c.class_code == code)).all()
            trained = connection.execute(select(class_runs).where(class_runs.c.class_code == code)
                                         .order_by(class_runs.c.posted_at.desc()).limit(rules.BOARD_RUNS)).all()
            posted = connection.execute(select(func.count()).select_from(class_runs)
                                        .where(class_runs.c.class_code == code)).scalar()
        return Board.of(klass, people, given, stuck, trained[::-1], posted)

    def clear_notes(self, code: str, key: str) -> None:
        self.check_key(code, key)
        with self.database.engine.begin() as connection:
            connection.execute(delete(notes).where(notes.c.class_code == code))
            connection.execute(update(classes).where(classes.c.code == code).values(notes_cleared_at=now()))

    def push_setup(self, code: str, key: str, params: dict[str, str], label: str) -> int:
        """Offer a setup (link parameters) to every learner; returns its number (each push a new one)."""
        self.check_key(code, key)
        params = {str(k)[:40]: str(v)[:200] for k, v in list(params.items())[:40]}
        with self.database.engine.begin() as connection:
            last = connection.execute(select(classes.c.setup).where(classes.c.code == code)).scalar()
            number = (last or {}).get("number", 0) + 1
            connection.execute(update(classes).where(classes.c.code == code).values(
                setup={"number": number, "label": rules.bounded(label, 80, "label"), "params": params,
                       "at": now().isoformat()}))
        return number

    def answer_setup(self, member: Member, number: int, applied: bool) -> None:
        """The learner applied the pushed setup ``number``, or put it aside: the board shows who did which."""
        with self.database.engine.begin() as connection:
            connection.execute(update(members).where(members.c.id == member.id).values(
                setup_number=int(number), setup_applied=bool(applied)))

    def close(self, code: str, key: str, closed: bool = True) -> None:
        """A closed class takes no new learners or posts; its board stays readable."""
        self.check_key(code, key)
        with self.database.engine.begin() as connection:
            connection.execute(update(classes).where(classes.c.code == code).values(closed=closed))

    def delete(self, code: str, key: str) -> None:
        """The class and everything posted to it (the learners' own labs stay theirs)."""
        self.check_key(code, key)
        with self.database.engine.begin() as connection:
            for table in (answers, notes, class_runs, members):
                connection.execute(delete(table).where(table.c.class_code == code))
            connection.execute(delete(classes).where(classes.c.code == code))

    def export_csv(self, code: str, key: str) -> bytes:
        """Everything posted to the class, read now, one row each, as a spreadsheet opens it safely: answers
        (with how they were reached), runs (every setting, the lesson's values included), notes; with times."""
        self.check_key(code, key)
        with self.database.engine.begin() as connection:
            names = dict(connection.execute(select(members.c.id, members.c.name)
                                            .where(members.c.class_code == code)).all())
            given = connection.execute(select(answers).where(answers.c.class_code == code)
                                       .order_by(answers.c.posted_at)).all()
            trained = connection.execute(select(class_runs).where(class_runs.c.class_code == code)
                                         .order_by(class_runs.c.posted_at)).all()
            stuck = connection.execute(select(notes).where(notes.c.class_code == code)
                                       .order_by(notes.c.posted_at)).all()
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["kind", "learner", "posted at (UTC)", "exercise or run", "answer or note", "correct", "tries",
                         "saw the answer first", "test accuracy", "fingerprint", *(row.name for row in SETTINGS)])
        blank_settings = [""] * len(SETTINGS)
        for row in given:
            writer.writerow(["answer", spreadsheet_safe(names.get(row.member, "?")), _time(row.posted_at),
                             row.exercise, spreadsheet_safe(row.answer), row.correct, row.tries, row.seen, "", "",
                             *blank_settings])
        for row in trained:
            writer.writerow(["run", spreadsheet_safe(names.get(row.member, "?")), _time(row.posted_at),
                             spreadsheet_safe(row.run_name or row.run), "", "", "", "", round(row.test_accuracy, 4),
                             row.fingerprint, *(spreadsheet_safe(row.settings.get(s.name, s.format_value(s.default)))
                                                for s in SETTINGS)])
        for row in stuck:
            writer.writerow(["note", spreadsheet_safe(names.get(row.member, "?")), _time(row.posted_at), "",
                             spreadsheet_safe(row.status + (f": {row.text}" if row.text else "")), "", "", "", "", "",
                             *blank_settings])
        return ("\ufeff" + out.getvalue()).encode()

    # the learners --------------------------------------------------------------------------------

    def join(self, code: str, lab: str, name: str, client: str = "") -> Member:
        """Join with a display name; the same lab joining again is the same learner (its name updated). Two
        learners of a class never share a name, even one written with look-alike letters."""
        if self.wrong_codes.spent(client):
            raise PenguinError("Too many wrong class codes from here: wait a minute, then check the code your "
                               "instructor gave.")
        try:
            row = self._open_class(code)
        except NoSuchClass:
            self.wrong_codes.count(client)
            raise
        name = rules.display_name(name)
        with self.database.engine.begin() as connection:
            others = connection.execute(select(members.c.lab, members.c.name)
                                        .where(members.c.class_code == row.code)).all()
            found = connection.execute(select(members.c.id).where(members.c.class_code == row.code,
                                                                 members.c.lab == lab)).scalar()
            if any(rules.name_skeleton(other) == rules.name_skeleton(name) for who, other in others if who != lab):
                raise PenguinError(f"Someone in this class is already called {name}: add an initial or a "
                                   "number, so your instructor can tell you apart.")
            if found is None and len(others) >= rules.MAX_MEMBERS:
                raise PenguinError(f"This class is full ({rules.MAX_MEMBERS} learners): ask your instructor.")
            if found is None:
                found = secrets.token_hex(16)
                connection.execute(insert(members).values(id=found, class_code=row.code, lab=lab, name=name,
                                                          joined_at=now()))
            else:
                connection.execute(update(members).where(members.c.id == found).values(name=name))
        return Member(found, row.code, row.name, name)

    def member(self, code: str, lab: str) -> Member | None:
        """The learner this lab is in the class, or None (not joined, or the class is gone)."""
        code = rules.normal_code(code)
        if code is None:
            return None
        with self.database.engine.begin() as connection:
            row = connection.execute(select(members.c.id, members.c.name, classes.c.name.label("class_name"),
                                            classes.c.closed)
                                     .join(classes, classes.c.code == members.c.class_code)
                                     .where(members.c.class_code == code, members.c.lab == lab)).first()
        return None if row is None else Member(row.id, code, row.class_name, row.name, bool(row.closed))

    def post_answer(self, member: Member, exercise: str, answer: str, correct: bool, tries: int = 1,
                    seen: bool = False) -> None:
        """The learner's latest answer, and how it was reached: ``tries`` answers until the first right one,
        ``seen`` when the learner chose to see the answer before."""
        self._open_class(member.code)
        self.limit.allow(member.id)
        values = dict(member=member.id, exercise=str(exercise)[:40], class_code=member.code,
                      answer=rules.bounded(answer, rules.MAX_ANSWER, "answer"), correct=bool(correct),
                      tries=min(max(int(tries), 1), 10 ** 6), seen=bool(seen), posted_at=now())
        with self.database.engine.begin() as connection:
            connection.execute(delete(answers).where(answers.c.member == member.id,
                                                     answers.c.exercise == values["exercise"]))
            connection.execute(insert(answers).values(**values))

    def post_note(self, member: Member, status: str | None, text: str = "") -> None:
        """A sticky note: "done" or "help" with an optional line; None takes the learner's note down."""
        self._open_class(member.code)
        self.limit.allow(member.id)
        if status is not None and status not in NOTE_STATUSES:
            raise PenguinError("A note says done or help.")
        with self.database.engine.begin() as connection:
            connection.execute(delete(notes).where(notes.c.member == member.id))
            if status is not None:
                connection.execute(insert(notes).values(
                    member=member.id, class_code=member.code, status=status,
                    text=rules.bounded(text, rules.MAX_NOTE, "note", required=False), posted_at=now()))

    def post_run(self, member: Member, run_id: str, settings: dict[str, str], test_accuracy: float,
                 recall: dict[str, float], fingerprint: str, run_name: str = "") -> None:
        """A finished run's name, settings and scores (never its weights)."""
        self._open_class(member.code)
        self.limit.allow(member.id)
        with self.database.engine.begin() as connection:
            connection.execute(delete(class_runs).where(class_runs.c.member == member.id, class_runs.c.run == run_id))
            connection.execute(insert(class_runs).values(
                member=member.id, run=str(run_id)[:32], class_code=member.code,
                settings={str(k)[:40]: str(v)[:200] for k, v in settings.items()},
                test_accuracy=float(test_accuracy), recall={str(k): float(v) for k, v in recall.items()},
                fingerprint=str(fingerprint)[:8], run_name=rules.bounded(run_name, rules.MAX_NAME, "run name",
                                                                         required=False), posted_at=now()))
            older = select(class_runs.c.run).where(class_runs.c.member == member.id) \
                .order_by(class_runs.c.posted_at.desc()).offset(rules.MAX_RUNS)
            gone = connection.execute(older).scalars().all()
            if gone:  # the board keeps each learner's newest runs
                connection.execute(delete(class_runs).where(class_runs.c.member == member.id,
                                                            class_runs.c.run.in_(gone)))

    def my_note(self, member: Member) -> tuple[str, str] | None:
        with self.database.engine.begin() as connection:
            row = connection.execute(select(notes.c.status, notes.c.text).where(notes.c.member == member.id)).first()
        return None if row is None else (row.status, row.text)

    def distribution(self, code: str, exercise: str) -> list[tuple[str, int, bool]]:
        """(answer, how many learners gave it, right or not), most common first: what a learner sees after
        answering ``exercise``."""
        with self.database.engine.begin() as connection:
            rows = connection.execute(select(answers.c.answer, answers.c.correct).where(
                answers.c.class_code == code, answers.c.exercise == exercise)).all()
        return tally(rows)

    def pushed(self, code: str) -> Pushed | None:
        """The setup the instructor offered last, if any."""
        with self.database.engine.begin() as connection:
            setup = connection.execute(select(classes.c.setup).where(classes.c.code == code)).scalar()
        return None if not setup else Pushed(int(setup["number"]), str(setup["label"]), dict(setup["params"]))

    def expire(self, at: datetime.datetime | None = None) -> int:
        """Delete the classes nobody used for ``rules.IDLE_DAYS`` days (no join and no post since), with
        everything in them; returns how many."""
        cutoff = (at or now()) - datetime.timedelta(days=rules.IDLE_DAYS)
        used = union(*(select(table.c.class_code).where(when >= cutoff) for table, when in (
            (members, members.c.joined_at), (answers, answers.c.posted_at), (notes, notes.c.posted_at),
            (class_runs, class_runs.c.posted_at))))
        with self.database.engine.begin() as connection:
            idle = connection.execute(select(classes.c.code).where(
                classes.c.created_at < cutoff, classes.c.code.not_in(select(used.subquery().c[0])))).scalars().all()
            if idle:
                for table in (answers, notes, class_runs, members):
                    connection.execute(delete(table).where(table.c.class_code.in_(idle)))
                connection.execute(delete(classes).where(classes.c.code.in_(idle)))
        return len(idle)

    # ---------------------------------------------------------------------------------------------

    def _class(self, code: str):
        with self.database.engine.begin() as connection:
            return connection.execute(select(classes).where(classes.c.code == code)).first()

    def _open_class(self, code: str):
        code = rules.normal_code(code)
        row = None if code is None else self._class(code)
        if row is None:
            raise NoSuchClass("There is no class with this code: check the code your instructor gave.")
        if row.closed:
            raise PenguinError("This class is closed: your instructor no longer takes posts.")
        return row


class NoSuchClass(PenguinError):
    """A code that names no class (counted against guessing)."""


def _time(at) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S") if at is not None else ""
