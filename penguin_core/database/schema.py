"""The tables, and the steps that bring an older database up to the newest schema.

labs: one learner's lab, found by the SHA-256 of its key (the key itself is only in the learner's link).
runs: a lab's runs: settings, history and metrics as JSON, the weights as a NumPy archive.
classes, members, answers, notes, class_runs: the classroom's board (version 2).
"""

from __future__ import annotations

from sqlalchemy import (JSON, Boolean, Column, DateTime, Float, ForeignKey, Integer, LargeBinary, MetaData, String,
                        Table, Text, UniqueConstraint)

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

classes = Table(  # the classroom (penguin_core/classroom): a workshop's shared board
    "classes", metadata,
    Column("code", String(8), primary_key=True),  # the short code in the join link
    Column("name", Text, nullable=False),
    Column("key_hash", String(64), nullable=False),  # SHA-256 of the instructor's key
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("closed", Boolean, nullable=False, default=False),
    Column("setup", JSON),  # the setup the instructor pushed last: {"number", "label", "params"}
    Column("notes_cleared_at", DateTime(timezone=True)),
)

members = Table(
    "members", metadata,
    Column("id", String(32), primary_key=True),
    Column("class_code", String(8), ForeignKey("classes.code", ondelete="CASCADE"), nullable=False, index=True),
    Column("lab", String(64), nullable=False),  # the learner's lab (its key hash): the same learner after a reload
    Column("name", Text, nullable=False),
    Column("joined_at", DateTime(timezone=True), nullable=False),
    Column("setup_number", Integer, nullable=False, default=0),  # the pushed setup the learner last answered
    Column("setup_applied", Boolean, nullable=False, default=False),  # ... applied (else put aside)
    UniqueConstraint("class_code", "lab"),
)

answers = Table(
    "answers", metadata,
    Column("member", String(32), ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("exercise", String(40), primary_key=True),
    Column("class_code", String(8), ForeignKey("classes.code", ondelete="CASCADE"), nullable=False, index=True),
    Column("answer", Text, nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("tries", Integer, nullable=False, default=1),  # answers checked until the first right one
    Column("seen", Boolean, nullable=False, default=False),  # the answer was shown to the learner before
    Column("posted_at", DateTime(timezone=True), nullable=False),
)

notes = Table(
    "notes", metadata,
    Column("member", String(32), ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("class_code", String(8), ForeignKey("classes.code", ondelete="CASCADE"), nullable=False, index=True),
    Column("status", String(8), nullable=False),  # done | help
    Column("text", Text, nullable=False),
    Column("posted_at", DateTime(timezone=True), nullable=False),
)

class_runs = Table(
    "class_runs", metadata,
    Column("member", String(32), ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("run", String(32), primary_key=True),
    Column("class_code", String(8), ForeignKey("classes.code", ondelete="CASCADE"), nullable=False, index=True),
    Column("settings", JSON, nullable=False),  # the link parameters of the run's setup
    Column("test_accuracy", Float, nullable=False),
    Column("recall", JSON, nullable=False),  # species -> recall on the test set
    Column("fingerprint", String(8), nullable=False),
    Column("run_name", Text, nullable=False, default=""),  # the learner's name for the run
    Column("posted_at", DateTime(timezone=True), nullable=False),
)

VERSION = 3
"""The newest schema. To change it: add the step that brings version N-1 to N below, and bump this."""

MIGRATIONS: dict[int, list[tuple[str, str]]] = {
    2: [],  # version 2 only adds the classroom's tables
    3: [("answers", "tries INTEGER NOT NULL DEFAULT 1"), ("answers", "seen BOOLEAN NOT NULL DEFAULT FALSE"),
        ("class_runs", "run_name TEXT NOT NULL DEFAULT ''"), ("members", "setup_number INTEGER NOT NULL DEFAULT 0"),
        ("members", "setup_applied BOOLEAN NOT NULL DEFAULT FALSE")],
}
"""Version -> the columns it adds to existing tables, as (table, column definition); tables new in a version
are created anyway, with every column."""
