"""The database away (down, locked, out of connections): the learner is told so, keeps the lab's key, and
nothing they had or did is lost; a click waits a bounded time, never 40 s (issues 21 and 22)."""

from __future__ import annotations

import sqlite3
import time

import pytest
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest

import penguin_core.lab as lab_module
from penguin_core.database import UNAVAILABLE, Database, engine
from penguin_core.lab import LabState, LabStore, open_lab
from penguin_core.model import ModelSpec
from penguin_core.training import train
from pages.ui.display import SOMETHING_WENT_WRONG, failure
from tests.test_pages import lab, no_exception, plain


def a_run(data, seed, name):
    run = train(data, ModelSpec(epochs=2, seed=seed))
    run.name = name
    return run


@pytest.fixture
def locked_sqlite(tmp_path, monkeypatch):
    """A store on a SQLite file, with a way to lock the file for writing as another process would."""
    monkeypatch.setattr(engine, "SQLITE_WAIT_SECONDS", 0.3)  # read when the engine is made
    monkeypatch.setattr(lab_module, "RETRY_SECONDS", 0.0)
    path = tmp_path / "lab.sqlite3"
    store = LabStore(Database.open(f"sqlite:///{path}"))
    holder = sqlite3.connect(path, isolation_level=None)
    yield store, holder
    holder.close()


def test_a_locked_database_keeps_the_key_says_so_and_gives_the_lab_back_with_the_work_done_meanwhile(
        locked_sqlite, scaled_data):
    store, holder = locked_sqlite
    state = LabState()
    state.record(a_run(scaled_data, 0, state.next_run_name()))
    state.answers = {"neuron": "1.25"}
    store.save(state)
    key = state.key

    holder.execute("BEGIN EXCLUSIVE")  # the file locked by another writer
    began = time.monotonic()
    session = {}
    standing_in = open_lab(session, {"lab": key}, store)
    assert time.monotonic() - began < 5  # bounded, not 30 s and more
    assert standing_in.state.key == key and standing_in.standing_in
    assert any("database is not answering" in notice for notice in standing_in.state.notices)
    assert not any("not found" in notice for notice in standing_in.state.notices)
    standing_in.keep(a_run(scaled_data, 1, standing_in.state.next_run_name()))  # work in the tab meanwhile
    standing_in.save()  # never over the stored lab

    holder.execute("COMMIT")
    assert store.load(key).answers == {"neuron": "1.25"} and len(store.load(key).history) == 1
    again = open_lab(session, {"lab": key}, store)  # the tab's next script run
    assert again is standing_in and not again.standing_in and again.state.key == key
    assert [run.name for run in again.state.history] == ["run 1", "run 2"]
    assert again.state.answers == {"neuron": "1.25"} and again.state.run is again.state.history[-1]
    assert any("your lab is back, with the 1 run trained" in notice for notice in again.state.notices)
    again.save()
    assert [run.name for run in store.load(key).history] == ["run 1", "run 2"]


def test_a_key_the_database_answers_it_has_not_opens_a_fresh_lab(locked_sqlite):
    store, _ = locked_sqlite
    fresh = open_lab({}, {"lab": "no-such-lab-key-here"}, store)
    assert fresh.state.key != "no-such-lab-key-here" and not fresh.standing_in
    assert any("not found" in notice for notice in fresh.state.notices)


def test_the_database_away_is_told_apart_from_a_bug():
    assert failure(OperationalError("SELECT 1", {}, Exception("database is locked"))) == UNAVAILABLE
    assert failure(KeyError("x")) == SOMETHING_WENT_WRONG


def test_a_page_opened_while_the_database_is_away_keeps_the_address_key(monkeypatch):
    first = AppTest.from_file("../app.py", default_timeout=60).run()
    key = lab(first).key
    first.query_params["lab"] = key

    def away(self, key):
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    monkeypatch.setattr(LabStore, "load", away)
    monkeypatch.setattr(lab_module, "_live", {})  # as another replica would: not open in this process
    again = AppTest.from_file("../app.py", default_timeout=60)
    again.query_params["lab"] = key
    again.run()
    no_exception(again)
    assert again.query_params["lab"] == [key] or again.query_params["lab"] == key
    assert any("database is not answering" in plain(w.value) for w in again.warning)
    assert not any("not found" in plain(w.value) for w in again.warning)
