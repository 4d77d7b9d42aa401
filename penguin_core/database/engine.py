"""Open the database: pick the URL, make SQLite safe for many threads, create or migrate the schema."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from sqlalchemy import create_engine, event, insert, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from penguin_core.database import schema

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = f"sqlite:///{ROOT / '.penguin_lab' / 'penguin_lab.sqlite3'}"
"""Where a lab is kept when nothing is configured: a file beside the app, nothing to set up."""


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
                database.migrate()
                cls._opened[url] = database
            return cls._opened[url]

    @property
    def kind(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> int:
        """Create missing tables and apply the steps up to ``schema.VERSION``; returns the version reached."""
        with self.engine.begin() as connection:
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
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(connection, _):  # many sessions write at once; runs go when their lab goes
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: a commit is a write, the fsync comes at checkpoints
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
