"""Keep each learner's lab in the database, found by the SHA-256 of its key.

A lab is stored only once the learner did something (``LabState.worth_keeping``).
Sizes (measured): a lesson run takes about 12 KB (weights 2 KB, 100 epochs
of history 10 KB); the largest run the budget allows about 1.3 MB. A lab
keeps its newest 50 runs and at most ``MAX_LAB_BYTES`` of them; a lab
nobody has opened for ``IDLE_DAYS`` days is deleted with its runs.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging

from sqlalchemy import delete, func, insert, select, update

from penguin_core.database import Database
from penguin_core.database.schema import labs, runs
from penguin_core.engine.network import Network
from penguin_core.lab.state import LabState
from penguin_core.run import Run
from penguin_core.server.clients import Attempts

IDLE_DAYS = 30
"""A lab unopened for this long is deleted."""
MAX_LAB_BYTES = 20 * 2**20
"""The most a lab's runs may take in the store; the oldest runs in its history go first."""
MAX_LABS = 20_000
"""The most labs the store keeps (a workshop's few hundred, many times over); beyond, a new lab stays in its tab."""
NEW_LABS_PER_HOUR = 300
"""New labs stored from one client (an address: a class behind it makes one each) in an hour, per process."""
log = logging.getLogger(__name__)


class StoreFull(Exception):
    """A new lab the store will not keep now (its bounds); the lab goes on in its tab."""


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class LabStore:
    """Load and save labs; one per server process, shared by every session."""

    def __init__(self, database: Database, idle_days: float = IDLE_DAYS, max_bytes: int = MAX_LAB_BYTES,
                 max_labs: int = MAX_LABS):
        self.database, self.idle_days, self.max_bytes, self.max_labs = database, idle_days, max_bytes, max_labs
        self.new_labs = Attempts(NEW_LABS_PER_HOUR, 3600)
        self._saved: dict[str, tuple[str, dict]] = {}  # key hash -> (record digest, run id -> its row's place)

    def load(self, key: str) -> LabState | None:
        """The lab with this key, or None (never another lab: the key is looked up by its hash)."""
        if not isinstance(key, str) or not 8 <= len(key) <= 100:
            return None
        lab = key_hash(key)
        with self.database.engine.begin() as connection:
            row = connection.execute(select(labs.c.state).where(labs.c.key_hash == lab)).first()
            if row is None:
                return None
            connection.execute(update(labs).where(labs.c.key_hash == lab).values(seen_at=now()))
            stored = connection.execute(
                select(runs.c.id, runs.c.in_history, runs.c.name, runs.c.record, runs.c.network)
                .where(runs.c.lab == lab).order_by(runs.c.number, runs.c.created_at)).all()
        loaded, in_history = [], set()
        for run_id, history, name, record, network in stored:
            try:
                run = Run.from_dict(record, network=Network.from_bytes(network))
            except Exception:  # a damaged row costs that run, not the lab
                log.exception("run %s of a lab could not be read back", run_id)
                continue
            run.id, run.name = run_id, name
            loaded.append(run)
            if history:
                in_history.add(run_id)
        state = LabState.from_record(key, row.state, loaded, in_history)
        self._saved[lab] = (_digest(state), {run_id: None for run_id, *_ in stored})
        return state

    def save(self, state: LabState, client: str = "") -> None:
        """Store what changed since the last save: the lab's settings and progress, new runs, dropped runs,
        and the runs whose place, name or membership of the history changed. A new lab beyond the store's
        bounds (``max_labs`` in all, ``NEW_LABS_PER_HOUR`` from one client) raises StoreFull."""
        with state.lock:
            if not state.worth_keeping():
                return
            lab = key_hash(state.key)
            kept = {run.id: run for run in [*state.history, *([state.run] if state.run else [])]}
            in_history = {run.id for run in state.history}
            places = {run_id: (number, run.name, run_id in in_history)
                      for number, (run_id, run) in enumerate(kept.items())}
            digest = _digest(state)
            previous_digest, stored = self._saved.get(lab, (None, None))
            if digest == previous_digest and stored == places and not state.forgotten:
                return
            with self.database.engine.begin() as connection:
                if stored is None:
                    ids = connection.execute(select(runs.c.id).where(runs.c.lab == lab)).scalars()
                    stored = {run_id: None for run_id in ids}
                record = state.to_record()
                if previous_digest is not None or connection.execute(
                        select(labs.c.key_hash).where(labs.c.key_hash == lab)).first():
                    connection.execute(update(labs).where(labs.c.key_hash == lab).values(state=record, seen_at=now()))
                else:
                    self._room_for_one_more(connection, client)
                    connection.execute(insert(labs).values(key_hash=lab, state=record, created_at=now(), seen_at=now()))
                gone = state.forgotten - set(kept)  # only what this tab let go: another tab's new runs stay
                if gone:
                    connection.execute(delete(runs).where(runs.c.lab == lab, runs.c.id.in_(gone)))
                for run_id, (number, name, history) in places.items():
                    if run_id not in stored:
                        connection.execute(insert(runs).values(**_row(lab, number, kept[run_id], history)))
                    elif stored[run_id] != places[run_id]:
                        connection.execute(update(runs).where(runs.c.id == run_id).values(
                            number=number, name=name, in_history=history))
                self._limit(connection, state, lab)
            state.forgotten.clear()
            state.kept = True
            now_kept = {run.id for run in [*state.history, *([state.run] if state.run else [])]}  # after _limit
            self._saved[lab] = (digest, {run_id: place for run_id, place in {**stored, **places}.items()
                                         if run_id in now_kept})

    def _room_for_one_more(self, connection, client: str) -> None:
        if self.new_labs.spent(client):
            raise StoreFull("This server has stored many new labs from your address in the last hour")
        if connection.execute(select(func.count()).select_from(labs)).scalar() >= self.max_labs:
            raise StoreFull(f"This server's store holds its most labs ({self.max_labs:,})")
        self.new_labs.count(client)

    def _limit(self, connection, state: LabState, lab: str) -> None:
        """Drop the oldest runs of the history while the lab's runs take more than ``max_bytes``."""
        sizes = dict(connection.execute(select(runs.c.id, runs.c.size).where(runs.c.lab == lab)).all())
        dropped = 0
        while sum(sizes.values()) > self.max_bytes and len(state.history) > 1:
            oldest = state.history.pop(0)
            if oldest is not state.run:
                connection.execute(delete(runs).where(runs.c.id == oldest.id))
                sizes.pop(oldest.id, None)
            dropped += 1
        if dropped:
            state.notices.append(f"Your lab keeps at most {self.max_bytes // 2**20} MB of runs: the oldest "
                                 f"{dropped} were let go.")

    def expire(self, at: datetime.datetime | None = None) -> int:
        """Delete labs nobody has opened for ``idle_days``; returns how many."""
        cutoff = (at or now()) - datetime.timedelta(days=self.idle_days)
        with self.database.engine.begin() as connection:
            old = select(labs.c.key_hash).where(labs.c.seen_at < cutoff)
            connection.execute(delete(runs).where(runs.c.lab.in_(old)))
            return connection.execute(delete(labs).where(labs.c.seen_at < cutoff)).rowcount


def _row(lab: str, number: int, run: Run, in_history: bool) -> dict:
    record, network = run.to_dict(weights=False), run.network.to_bytes()
    return {"id": run.id, "lab": lab, "number": number, "in_history": in_history, "name": run.name,
            "created_at": now(), "record": record, "network": network,
            "size": len(json.dumps(record)) + len(network)}


def _digest(state: LabState) -> str:
    names = [(run.id, run.name) for run in state.history]
    return hashlib.sha256(json.dumps([state.to_record(), names], sort_keys=True).encode()).hexdigest()
