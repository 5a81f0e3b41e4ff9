"""Opening the store: the tables made by one starting process at a time, or why not."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from adapters.database import metadata
from adapters.schema import SchemaTooNewError, check_schema_version, setup_lock
from adapters.settings import Settings
from adapters.store import ledger_env
from domain.ledger import Ledger


class StoreUnavailableError(RuntimeError):
    """The database cannot be reached or prepared; the message says which and why."""


STARTUP_ERRORS = (StoreUnavailableError, SchemaTooNewError, ValueError)


def prepare_ledger(engine: Engine, settings: Settings) -> Ledger:
    """Tables, ours and the event store's, made by one starting process at a time."""
    where = "the SQLite file" if settings.is_sqlite else "PostgreSQL"
    try:
        with setup_lock(engine, settings):
            with engine.begin() as conn:
                if not settings.is_sqlite:
                    conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{settings.database_schema}"'))
            metadata.create_all(engine)
            check_schema_version(engine)
            return Ledger(
                env=ledger_env(settings), write_retry_seconds=settings.write_retry_seconds
            )
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise StoreUnavailableError(
            f"cannot open {where} ({_safe_url(settings)}): {reason}"
        ) from None


def _safe_url(settings: Settings) -> str:
    if settings.is_sqlite:
        return str(settings.sqlite_path)
    head, _, tail = settings.database_url.rpartition("@")
    return f"{head.split('://')[0]}://***@{tail}" if head else settings.database_url
