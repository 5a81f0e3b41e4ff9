"""SQLAlchemy engine and the read-model tables, in the same database as the events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
)

from adapters.settings import Settings

# 2: checkpoints copy only the scopes that changed, listed in checkpoint_scopes; a
# build that knows 1 would write checkpoints without that list, so it must not start.
SCHEMA_VERSION = 2
metadata = MetaData()

view_counts = Table(
    "view_counts",
    metadata,
    Column("view", String(40), primary_key=True),
    Column("scope", String(80), primary_key=True),
    Column("dimension", String(40), primary_key=True),
    Column("member", String(120), primary_key=True),
    Column("measure", String(40), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

view_labels = Table(
    "view_labels",
    metadata,
    Column("view", String(40), primary_key=True),
    Column("scope", String(80), primary_key=True),
    Column("dimension", String(40), primary_key=True),
    Column("member", String(120), primary_key=True),
    Column("name", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

view_positions = Table(
    "view_positions",
    metadata,
    Column("view", String(40), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Every view's rows as they stood at a position, written by the runner (see
# adapters/checkpoints.py): an as-of folds the tail from the nearest one instead of
# the whole history. ``stamp`` is the latest event stamp at or before the position.
view_checkpoints = Table(
    "view_checkpoints",
    metadata,
    Column("view", String(40), primary_key=True),
    Column("position", BigInteger, primary_key=True),
    Column("stamp", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


def _checkpoint_rows(name: str, key: str, value: BigInteger | Text) -> Table:
    """A view's rows (counts or labels) at a position: the view's key plus ``position``."""
    return Table(
        name,
        metadata,
        Column("view", String(40), primary_key=True),
        Column("position", BigInteger, primary_key=True),
        Column("scope", String(80), primary_key=True),
        Column("dimension", String(40), primary_key=True),
        Column("member", String(120), primary_key=True),
        Column(key, String(40), primary_key=True),
        Column("value", value, nullable=False),
    )


checkpoint_counts = _checkpoint_rows("checkpoint_counts", "measure", BigInteger())
checkpoint_labels = _checkpoint_rows("checkpoint_labels", "name", Text())

# Which scopes each checkpoint copied: a scope is read from the last checkpoint at or
# before the one asked for that copied it (its rows have not changed since).
checkpoint_scopes = Table(
    "checkpoint_scopes",
    metadata,
    Column("view", String(40), primary_key=True),
    Column("scope", String(80), primary_key=True),
    Column("position", BigInteger, primary_key=True),
)

relay_positions = Table(
    "relay_positions",
    metadata,
    Column("topic", String(200), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Kafka-fed views, per partition: the next offset to read, the highest event position
# applied (redeliveries at or below it are skipped) and the relay's watermark reached there.
view_partitions = Table(
    "view_partitions",
    metadata,
    Column("view", String(40), primary_key=True),
    Column("topic", String(200), primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("next_offset", BigInteger, nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("watermark", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# What a Kafka worker cannot get past alone (a gap in what it received, its offsets reset
# under it, its topic missing), per view and partition, for /readyz and the operator.
kafka_faults = Table(
    "kafka_faults",
    metadata,
    Column("topic", String(200), primary_key=True),
    Column("partition", Integer, primary_key=True),  # -1: the whole topic
    Column("view", String(40), primary_key=True),  # "": every view
    Column("kind", String(40), nullable=False),
    Column("detail", String(500), nullable=False),
    Column("resume_after", BigInteger, nullable=False),  # republish from here to recover
    Column("since", DateTime(timezone=True), nullable=False),
)

schema_versions = Table(
    "tadamon_schema",
    metadata,
    Column("component", String(40), primary_key=True),
    Column("version", Integer, nullable=False),
)


def make_engine(settings: Settings) -> Engine:
    if settings.is_sqlite:
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            f"sqlite:///{settings.sqlite_path}",
            connect_args={"timeout": 30, "check_same_thread": False},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    url = settings.database_url.split("://", 1)[1]
    options = (
        f"-csearch_path={settings.database_schema} "
        f"-cstatement_timeout={settings.statement_timeout_ms}"
    )
    return create_engine(
        f"postgresql+psycopg://{url}",
        pool_size=settings.pool_size,
        max_overflow=settings.pool_size * 2,
        pool_pre_ping=True,
        connect_args={"options": options, "connect_timeout": 5},
    )


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
