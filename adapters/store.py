"""The event store (eventsourcing on SQLite or PostgreSQL) and its query helpers."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from urllib.parse import unquote, urlsplit
from uuid import UUID

from adapters.settings import Settings
from domain.ledger import Ledger
from projections.ports import Positioned

TRANSCODER = "adapters.codec:FastJSONTranscoder"


def ledger_env(settings: Settings) -> dict[str, str]:
    """Translate our one database URL into the library's persistence settings."""
    if settings.is_sqlite:
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "TRANSCODER_TOPIC": TRANSCODER,
            "APPLICATION_RECORDER_TOPIC": "adapters.recorders:BatchSQLiteRecorder",
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(settings.sqlite_path),
            "SQLITE_LOCK_TIMEOUT": "30",
        }
    url = urlsplit(settings.database_url)
    return {
        "TRANSCODER_TOPIC": TRANSCODER,
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "APPLICATION_RECORDER_TOPIC": "adapters.recorders:BatchPostgresRecorder",
        "POSTGRES_DBNAME": url.path.lstrip("/"),
        "POSTGRES_HOST": url.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": unquote(url.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        "POSTGRES_SCHEMA": settings.database_schema,
        "POSTGRES_POOL_SIZE": str(settings.pool_size),
        "POSTGRES_CONNECT_TIMEOUT": "5",
        "POSTGRES_LOCK_TIMEOUT": str(max(1, settings.statement_timeout_ms // 1000)),
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "60",
    }


def events_table(settings: Settings) -> str:
    if settings.is_sqlite:
        return "stored_events"
    return f'"{settings.database_schema}"."{Ledger.name.lower()}_events"'


class SqlStreamIndex:
    """Which streams exist, one query per batch (the batch de-duplication step).

    Asked of the ledger's own recorder (``select_existing``): a prepared statement on
    its pool, the ids dumped by the driver's C adapters. Through the SQL toolkit the
    same query cost a quarter of a batch of deliveries on PostgreSQL.
    """

    def __init__(self, ledger: Ledger) -> None:
        self.recorder = ledger.recorder

    def existing(self, ids: Collection[UUID]) -> set[UUID]:
        if not ids:
            return set()
        found: set[UUID] = self.recorder.select_existing(ids)  # type: ignore[attr-defined]
        return found


class LedgerEventSource:
    """The ledger's notification log as an event source for the runners."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def read(self, after: int, limit: int) -> Sequence[Positioned]:
        notifications = self.ledger.recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        to_event = self.ledger.mapper.to_domain_event
        out = []
        for notification in notifications:
            event = to_event(notification)
            out.append(Positioned(notification.id, event, event.timestamp))  # type: ignore[attr-defined]
        return out

    def head(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0
