"""Open the database: pick the URL, make SQLite safe for many threads, create or migrate the schema."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, event, insert, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError

from penguin_core.database import schema

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = f"sqlite:///{ROOT / '.penguin_lab' / 'penguin_lab.sqlite3'}"
"""Where a lab is kept when nothing is configured: a file beside the app, nothing to set up."""
CONNECTIONS_ENV = "PENGUIN_DB_CONNECTIONS"
POOL_WAIT_SECONDS = 15.0
"""A request waits this long for one of the process's connections before it fails (and says so)."""
CONNECT_WAIT_SECONDS = 10.0
"""A new connection the server refuses as full ("too many clients") is tried again for this long."""
SQLITE_WAIT_SECONDS = 8.0
"""A write waits this long for another writer's lock on the SQLite file (theirs take milliseconds; a file
locked for longer is an outage, said as one, not a click hanging)."""
UNAVAILABLE = ("The server's database is not answering just now, so this could not be done. Nothing you had is "
               "lost: try again in a moment.")
"""What a learner is told when the database is down, locked or full beyond the waits above."""


def unavailable(error: BaseException) -> bool:
    """Whether ``error`` is the database being away (down, locked, out of connections), not a bug."""
    return isinstance(error, (OperationalError, InterfaceError, SQLAlchemyTimeoutError, DisconnectionError))


def database_url(configured: str | None = None) -> str:
    """The database to use: ``configured`` (e.g. from .streamlit/secrets.toml), else the environment
    variable PENGUIN_DATABASE_URL, else the SQLite file beside the app."""
    return configured or os.environ.get("PENGUIN_DATABASE_URL") or DEFAULT_URL


class Database:
    """One SQLAlchemy engine, shared by every session of the server, its schema up to date."""

    _opened: dict[str, "Database"] = {}
    _lock = threading.Lock()

    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None) -> "Database":
        """The database at ``database_url(url)``, opened once per process and migrated on first open."""
        url = database_url(url)
        with cls._lock:
            if url not in cls._opened:
                database = cls(_engine(url))
                for attempt in range(3):  # SQLite: another server created a table between the check and ours
                    try:
                        database.migrate()
                        break
                    except OperationalError as error:
                        if "already exists" not in str(error) or attempt == 2:
                            raise
                cls._opened[url] = database
            return cls._opened[url]

    @property
    def kind(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> int:
        """Add every step's columns missing from existing tables, create missing tables, record
        ``schema.VERSION``; returns it. Idempotent: each start checks again."""
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":  # replicas starting side by side migrate one at a time
                connection.execute(text("SELECT pg_advisory_xact_lock(7219)"))
            existing = inspect(connection)
            tables = set(existing.get_table_names())
            current = (connection.execute(select(schema.schema_version.c.version)).scalar()
                       if "schema_version" in tables else None)
            for version in sorted(schema.MIGRATIONS):  # every step's columns, each added where missing
                for table, column in schema.MIGRATIONS[version]:
                    if table in tables and column.split()[0] not in {c["name"] for c in existing.get_columns(table)}:
                        _add_column(connection, table, column)
            schema.metadata.create_all(connection)
            if current is None:
                connection.execute(insert(schema.schema_version).values(version=schema.VERSION))
                return schema.VERSION
            if current < schema.VERSION:
                connection.execute(schema.schema_version.update().values(version=schema.VERSION))
        return schema.VERSION


def _add_column(connection, table: str, column: str) -> None:
    """ALTER TABLE ... ADD COLUMN, harmless when another server starting at the same moment added it first."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column}"))
        return
    try:
        with connection.begin_nested():
            connection.execute(text(f"ALTER TABLE {table} ADD COLUMN {column}"))
    except OperationalError as error:
        if "duplicate column" not in str(error):
            raise


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_WAIT_SECONDS})

        @event.listens_for(engine, "connect")
        def _pragmas(connection, _):  # many sessions write at once; runs go when their lab goes
            cursor = connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_WAIT_SECONDS * 1000)}")
            deadline = time.monotonic() + 30
            while True:  # switching a new file to WAL takes a lock no busy handler waits for: several servers
                try:    # opening one file at once try again
                    cursor.execute("PRAGMA journal_mode=WAL")
                    break
                except sqlite3.OperationalError as error:
                    if "locked" not in str(error) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: a commit is a write, the fsync comes at checkpoints
            cursor.close()

        return engine
    most = connections()
    engine = create_engine(url, pool_pre_ping=True, pool_size=max(1, most // 2), max_overflow=most - max(1, most // 2),
                           pool_timeout=POOL_WAIT_SECONDS)

    @event.listens_for(engine, "do_connect")
    def _connect(dialect, record, cargs, cparams):  # the server full for a moment: wait and try again
        deadline = time.monotonic() + CONNECT_WAIT_SECONDS
        pause = 0.1
        while True:
            try:
                return dialect.connect(*cargs, **cparams)
            except dialect.loaded_dbapi.OperationalError as error:
                if "too many clients" not in str(error) or time.monotonic() + pause > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 1.0)

    return engine


def connections() -> int:
    """The most connections this process opens to PostgreSQL: ``PENGUIN_DB_CONNECTIONS`` (deploy/start.sh gives
    each replica its share of the server's max_connections), else 10."""
    try:
        return max(1, int(os.environ.get(CONNECTIONS_ENV, "10")))
    except ValueError:
        return 10
