"""The tables, and the steps that bring an older database up to the newest schema.

labs: one learner's lab, found by the SHA-256 of its key (the key itself is only in the learner's link).
runs: a lab's runs: settings, history and metrics as JSON, the weights as a NumPy archive.
"""

from __future__ import annotations

from sqlalchemy import (JSON, Boolean, Column, DateTime, ForeignKey, Integer, LargeBinary, MetaData, String,
                        Table, Text)

metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

labs = Table(
    "labs", metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False, index=True),
    Column("state", JSON, nullable=False),  # settings, progress, answers, the current run's id
)

runs = Table(
    "runs", metadata,
    Column("id", String(32), primary_key=True),
    Column("lab", String(64), ForeignKey("labs.key_hash", ondelete="CASCADE"), nullable=False, index=True),
    Column("number", Integer, nullable=False),  # order in the lab
    Column("in_history", Boolean, nullable=False),  # False for an uploaded model
    Column("name", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("record", JSON, nullable=False),  # Run.to_dict(weights=False)
    Column("network", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),  # bytes of record and network, for the lab's limit
)

VERSION = 1
"""The newest schema. To change it: add the step that brings version N-1 to N below, and bump this."""

MIGRATIONS: dict[int, list[str]] = {}
"""Version -> SQL statements that bring the previous version to it (tables new in it are created anyway)."""
