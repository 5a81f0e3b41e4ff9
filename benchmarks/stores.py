"""Fresh, throw-away stores for the benchmarks: a SQLite file or a PostgreSQL schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from adapters.settings import Settings

SECRET = "benchmarks-only-hash-secret-0123456789"  # noqa: S105 - throw-away stores only
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def settings_for(
    backend: str, where: Path, postgres_url: str, schema: str | None = None
) -> Settings:
    """Settings of an empty store; ``schema`` names the PostgreSQL schema to use."""
    common = {
        "secrets_dir": where / "secrets",
        "hash_secret": SECRET,
        "admin_token_file": where / "admin-token",
        "log_level": "WARNING",
    }
    if backend == "sqlite":
        return Settings(database_url=f"sqlite:///{where / 'ledger.db'}", **common)  # type: ignore[arg-type]
    return Settings(database_url=postgres_url, database_schema=schema or new_schema(), **common)  # type: ignore[arg-type]


def new_schema() -> str:
    return f"bench_{uuid.uuid4().hex[:10]}"


def drop_schema(postgres_url: str, schema: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@contextmanager
def fresh_store(backend: str, where: Path, postgres_url: str) -> Iterator[Settings]:
    """An empty store, removed afterwards (the SQLite file goes with ``where``)."""
    where.mkdir(parents=True, exist_ok=True)
    settings = settings_for(backend, where, postgres_url)
    try:
        yield settings
    finally:
        if backend == "postgres":
            drop_schema(postgres_url, settings.database_schema)


def postgres_available(postgres_url: str) -> str | None:
    """None when the server answers, else the reason it does not."""
    try:
        psycopg.connect(postgres_url, connect_timeout=3).close()
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]
    return None
