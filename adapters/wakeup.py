"""Wake runners when another process appends events: PostgreSQL LISTEN/NOTIFY.

The library's insert function sends ``NOTIFY <events table>`` in every write
transaction, so a LISTEN connection hears each commit from any process. SQLite
has no such signal; there the runners fall back to their poll interval.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from psycopg import sql

from adapters.settings import Settings
from adapters.store import ledger_env
from domain.ledger import Ledger

log = logging.getLogger("tadamon.wakeup")


class AppendListener:
    """A daemon thread holding one LISTEN connection; calls ``on_append`` per notification."""

    def __init__(self, settings: Settings, channel: str, on_append: Callable[[], None]) -> None:
        env = ledger_env(settings)
        self.conninfo = {
            "dbname": env["POSTGRES_DBNAME"],
            "host": env["POSTGRES_HOST"],
            "port": env["POSTGRES_PORT"],
            "user": env["POSTGRES_USER"],
            "password": env["POSTGRES_PASSWORD"],
            "connect_timeout": 5,
        }
        self.channel = channel
        self.on_append = on_append
        self.listening = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-listen", daemon=True)

    def start(self) -> AppendListener:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            try:
                self._listen()
            except psycopg.Error as error:
                self.listening.clear()
                log.warning("LISTEN connection lost, retrying: %s", type(error).__name__)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 30.0)

    def _listen(self) -> None:
        with psycopg.connect(autocommit=True, **self.conninfo) as conn:  # type: ignore[arg-type]
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
            self.listening.set()
            self.on_append()  # whatever was appended while we were not listening
            while not self._stop.is_set():
                for _ in conn.notifies(timeout=0.5, stop_after=1):
                    self.on_append()


def listen_for_appends(
    settings: Settings, ledger: Ledger, on_append: Callable[[], None]
) -> AppendListener | None:
    """Start listening on PostgreSQL; None on SQLite, where callers poll."""
    if settings.is_sqlite:
        return None
    channel = ledger.recorder.channel_name  # type: ignore[attr-defined]
    return AppendListener(settings, channel, on_append).start()
