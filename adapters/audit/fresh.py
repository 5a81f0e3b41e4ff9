"""A temporary, empty view store beside the live one: a new SQLite file or PostgreSQL schema."""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from adapters.database import make_engine, metadata, view_counts, view_labels, view_positions
from adapters.settings import Settings
from adapters.views import SqlViewStore

VIEW_TABLES = [view_counts, view_labels, view_positions]


@dataclass(frozen=True)
class FreshStore:
    views: SqlViewStore
    engine: Engine
    where: str


@contextmanager
def fresh_view_store(settings: Settings) -> Iterator[FreshStore]:
    """Only the view tables, nothing else, removed again on exit."""
    if settings.is_sqlite:
        with tempfile.TemporaryDirectory(prefix="tadamon-replay-") as folder:
            path = Path(folder) / "replay.db"
            engine = make_engine(settings.model_copy(update={"database_url": f"sqlite:///{path}"}))
            try:
                metadata.create_all(engine, tables=VIEW_TABLES)
                yield FreshStore(SqlViewStore(engine), engine, f"SQLite file {path}")
            finally:
                engine.dispose()
        return
    schema = f"replay_{secrets.token_hex(6)}"
    engine = make_engine(settings.model_copy(update={"database_schema": schema}))
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        metadata.create_all(engine, tables=VIEW_TABLES)
        yield FreshStore(SqlViewStore(engine), engine, f"PostgreSQL schema {schema}")
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()
