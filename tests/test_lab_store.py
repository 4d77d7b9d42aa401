"""The lab's store: everything a learner had comes back, by their key only, within stated bounds;
the same on SQLite (always) and PostgreSQL (started for the test where it is installed)."""

import datetime
import threading

import pytest
from sqlalchemy import event, select, text

from penguin_core.classroom import Classroom
from penguin_core.database import Database, schema
from penguin_core.database.schema import labs, runs
from penguin_core.training import train
from penguin_core.lab import LabState, LabStore
from penguin_core.lab.store import key_hash
from penguin_core.model import HiddenLayer, ModelSpec
from penguin_core.preparation import DataSpec
from tests import postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        yield LabStore(Database.open(f"sqlite:///{tmp_path / 'lab.sqlite3'}"))
        return
    if postgres.binaries() is None:
        pytest.skip("PostgreSQL is not installed here")
    with postgres.postgres_server() as url:
        yield LabStore(Database.open(url))


def a_lab(scaled_data, runs=2) -> LabState:
    state = LabState(data_spec=DataSpec(standardize=True, validation_size=0.2),
                     model_spec=ModelSpec(hidden=(HiddenLayer(8, "tanh"),), epochs=9, seed=5))
    for seed in range(runs):
        run = train(scaled_data, ModelSpec(epochs=3 + seed, seed=seed))
        run.name = state.next_run_name()
        state.record(run)
    state.solved, state.answers = {"neuron": True}, {"neuron": "1.25", "outputs": "4"}
    state.visited, state.penguin = {"explore", "train"}, {"body_mass_g": 5100.0}
    return state


def test_a_lab_comes_back_exactly(store, scaled_data):
    state = a_lab(scaled_data)
    uploaded = train(scaled_data, ModelSpec(epochs=2, seed=9))
    uploaded.name = "from a file (uploaded)"
    state.run = uploaded  # the current model, not in the history
    store.save(state)
    back = store.load(state.key)
    assert (back.data_spec, back.model_spec) == (state.data_spec, state.model_spec)
    assert [r.network.fingerprint() for r in back.history] == [r.network.fingerprint() for r in state.history]
    assert [r.history for r in back.history] == [r.history for r in state.history]
    assert [r.name for r in back.history] == ["run 1", "run 2"] and back.runs_started == 2
    assert back.run.name == "from a file (uploaded)" and back.run.network.fingerprint() == uploaded.network.fingerprint()
    assert back.solved == state.solved and back.answers == state.answers
    assert back.visited == state.visited and back.penguin == state.penguin


def test_only_the_key_opens_a_lab_and_the_store_never_holds_the_key(store, scaled_data):
    state = a_lab(scaled_data, runs=1)
    store.save(state)
    assert store.load(state.key[:-1] + ("A" if state.key[-1] != "A" else "B")) is None
    assert store.load("") is None and store.load("x" * 1000) is None
    with store.database.engine.connect() as connection:
        hashes = connection.execute(select(labs.c.key_hash)).scalars().all()
    assert key_hash(state.key) in hashes and state.key not in hashes


def test_clearing_the_history_deletes_its_runs_but_keeps_the_current_model(store, scaled_data):
    state = a_lab(scaled_data, runs=3)
    store.save(state)
    state.clear_history()
    store.save(state)
    back = store.load(state.key)
    assert back.history == [] and back.run.name == "run 3"
    with store.database.engine.connect() as connection:
        assert connection.execute(select(runs.c.id).where(runs.c.lab == key_hash(state.key))).all() == [
            (state.run.id,)]


def test_a_save_without_changes_writes_nothing(store, scaled_data):
    state = a_lab(scaled_data, runs=1)
    store.save(state)
    statements = []
    event.listen(store.database.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    store.save(state)
    assert statements == []
    state.solved["outputs"] = True
    store.save(state)
    assert statements and not any("INSERT INTO runs" in s for s in statements)


def test_idle_labs_expire_with_their_runs(store, scaled_data):
    old, recent = a_lab(scaled_data, runs=1), a_lab(scaled_data, runs=1)
    store.save(old)
    store.save(recent)
    with store.database.engine.begin() as connection:
        long_ago = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=31)
        connection.execute(labs.update().where(labs.c.key_hash == key_hash(old.key)).values(seen_at=long_ago))
    assert store.expire() == 1
    assert store.load(old.key) is None and store.load(recent.key) is not None
    with store.database.engine.connect() as connection:
        assert connection.execute(select(runs.c.id).where(runs.c.lab == key_hash(old.key))).all() == []


def test_a_lab_keeps_at_most_its_bytes_dropping_the_oldest_runs(tmp_path, scaled_data):
    store = LabStore(Database.open(f"sqlite:///{tmp_path / 'small.sqlite3'}"), max_bytes=15_000)
    state = a_lab(scaled_data, runs=8)
    store.save(state)
    back = store.load(state.key)
    assert 1 <= len(back.history) < 8 and back.history[-1].name == "run 8"
    assert any("at most" in notice for notice in state.notices)


def test_many_sessions_save_at_once(store, scaled_data):
    states = [a_lab(scaled_data, runs=1) for _ in range(8)]
    errors = []

    def save(state):
        try:
            for _ in range(3):
                state.answers["neuron"] = str(len(state.answers))
                store.save(state)
        except Exception as error:  # collected: a failure in a thread must fail the test
            errors.append(error)

    threads = [threading.Thread(target=save, args=(state,)) for state in states]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and all(store.load(s.key).history[0].name == "run 1" for s in states)


def test_reopening_a_database_keeps_its_labs_and_schema(tmp_path, scaled_data):
    url = f"sqlite:///{tmp_path / 'again.sqlite3'}"
    state = a_lab(scaled_data, runs=1)
    LabStore(Database.open(url)).save(state)
    Database._opened.pop(url)  # as a server restart would
    again = Database.open(url)
    assert again.migrate() == schema.VERSION and LabStore(again).load(state.key).history[0].name == "run 1"


def test_a_version_1_database_gains_the_classroom_tables_and_keeps_its_labs(tmp_path, scaled_data):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    state = a_lab(scaled_data, runs=1)
    LabStore(Database.open(url)).save(state)
    with Database._opened.pop(url).engine.begin() as connection:  # as the lab's first release left it
        for table in ("class_runs", "notes", "answers", "members", "classes"):
            connection.execute(text(f"DROP TABLE {table}"))
        connection.execute(text("UPDATE schema_version SET version = 1"))
    again = Database.open(url)
    with again.engine.begin() as connection:
        assert connection.execute(text("SELECT version FROM schema_version")).scalar() == schema.VERSION
        assert connection.execute(text("SELECT COUNT(*) FROM classes")).scalar() == 0
    assert LabStore(again).load(state.key).history[0].name == "run 1"


def test_an_older_database_gains_the_new_columns_and_keeps_its_answers(tmp_path):
    """Version 3 adds how each answer was reached (tries, seen), run names and replies to a pushed setup: an
    older board keeps its answers, and a column missing from any version's step is added at the next start."""
    url = f"sqlite:///{tmp_path / 'v2.sqlite3'}"
    room = Classroom(Database.open(url))
    code, key = room.start("Before the upgrade")
    ada = room.join(code, "lab-ada", "Ada")
    room.post_answer(ada, "parameters", "83", True)
    with Database._opened.pop(url).engine.begin() as connection:  # as version 2 left the answers table
        connection.execute(text("ALTER TABLE answers DROP COLUMN tries"))
        connection.execute(text("ALTER TABLE answers DROP COLUMN seen"))
        connection.execute(text("ALTER TABLE class_runs DROP COLUMN run_name"))
        connection.execute(text("ALTER TABLE members DROP COLUMN setup_applied"))
        connection.execute(text("UPDATE schema_version SET version = 3"))  # a version-3 file missing a column
    room = Classroom(Database.open(url))
    parameters = next(e for e in room.board(code, key).exercises if e.id == "parameters")
    assert (parameters.right, parameters.first_try, parameters.after_seeing) == (1, 1, 0)
    room.post_answer(room.join(code, "lab-bo", "Bo"), "parameters", "83", True, tries=2, seen=True)
    parameters = next(e for e in room.board(code, key).exercises if e.id == "parameters")
    assert (parameters.right, parameters.first_try, parameters.after_seeing) == (2, 1, 1)


def test_two_tabs_on_one_lab_never_delete_each_others_runs(store, scaled_data):
    first = a_lab(scaled_data, runs=1)
    store.save(first)
    second = store.load(first.key)  # the same link in another tab
    for tab, seed in ((first, 11), (second, 12)):
        run = train(scaled_data, ModelSpec(epochs=2, seed=seed))
        run.name = f"seed {seed}"
        tab.record(run)
        store.save(tab)
    assert {r.name for r in store.load(first.key).history} == {"run 1", "seed 11", "seed 12"}


def test_a_lab_is_stored_only_once_the_learner_did_something(store):
    """Issue 22: every visit saved a lab kept 30 days (300 visits, 300 labs)."""
    state = LabState()
    state.visited |= {"start", "explore"}  # looking around is not work
    store.save(state)
    assert store.load(state.key) is None and not state.kept
    state.answers["neuron"] = "1.25"
    store.save(state)
    assert store.load(state.key).answers == {"neuron": "1.25"} and state.kept


def test_new_labs_are_bounded_in_all_and_per_client(tmp_path, monkeypatch):
    """Issue 22: labs without end; now at most ``max_labs``, and ``NEW_LABS_PER_HOUR`` from one client."""
    from penguin_core.lab import Lab
    from penguin_core.lab import store as store_module
    from penguin_core.lab.store import StoreFull

    monkeypatch.setattr(store_module, "NEW_LABS_PER_HOUR", 3)
    store = LabStore(Database.open(f"sqlite:///{tmp_path / 'lab.sqlite3'}"), max_labs=5)

    def worked():
        state = LabState()
        state.answers["neuron"] = "1.25"
        return state

    for _ in range(3):
        store.save(worked(), client="10.0.0.66")
    with pytest.raises(StoreFull, match="from your address"):
        store.save(worked(), client="10.0.0.66")
    for _ in range(2):
        store.save(worked(), client="10.0.0.7")
    lab = Lab(worked(), store)
    lab.client = "10.0.0.8"
    lab.save()
    lab.save()
    assert [n for n in lab.state.notices if "not stored" in n] == [
        "This server's store holds its most labs (5), so your lab is not stored: it is kept in this tab while "
        "it is open (download what you want to keep from Share)."]
