"""Runs the projection runner in a background thread, woken by every save.

Saves in this process wake it through the ledger's callback; on PostgreSQL a
LISTEN connection also wakes it for writes from other processes. Polling is
only the fallback (SQLite, or a lost LISTEN connection).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from projections.runner import Runner

log = logging.getLogger("tadamon.projections")


REMOTE_POLL_SECONDS = 0.02


class Stoppable(Protocol):
    def stop(self) -> None: ...


Listen = Callable[[Callable[[], None]], Stoppable | None]


class LiveProjections:
    """Keeps views current: a save wakes the thread at once; polling covers other writers.

    ``remote_views`` are fed by other processes (Kafka workers): ``wait_for`` also
    waits for their stored positions.
    """

    def __init__(
        self,
        runner: Runner,
        poll_seconds: float,
        remote_views: Sequence[str] = (),
        listen: Listen | None = None,
    ) -> None:
        self.runner = runner
        self.poll_seconds = poll_seconds
        self.remote_views = list(remote_views)
        self.listen = listen
        self._listener: Stoppable | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._advanced = threading.Condition()
        self._thread: threading.Thread | None = None
        self.position = 0

    def on_saved(self, _recordings: Sequence[Any]) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="projections", daemon=True)
            self._thread.start()
            if self.listen is not None:
                self._listener = self.listen(self._wake.set)

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                progress = self.runner.step()
            except Exception:  # keep serving: the next wake-up retries the batch
                log.exception("projection step failed")
                self._stop.wait(1.0)
                continue
            if progress.applied:
                self._publish(progress.position)
                continue
            self._publish(progress.position)
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def _publish(self, position: int) -> None:
        with self._advanced:
            self.position = max(self.position, position)
            self._advanced.notify_all()

    def wait_for(self, position: int, timeout: float) -> bool:
        """Block until every view has applied ``position``; False on timeout."""
        if position <= 0:
            return True
        deadline = time.monotonic() + timeout
        with self._advanced:
            while self.position < position:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._thread is None:
                    if not self._caught_up(self.runner.names, position):
                        return False
                    break
                self._wake.set()
                self._advanced.wait(min(remaining, 0.05))
        return self._wait_remote(position, deadline)

    def _wait_remote(self, position: int, deadline: float) -> bool:
        # Other processes commit these views; a short bounded poll of their positions.
        while not self._caught_up(self.remote_views, position):
            if time.monotonic() >= deadline:
                return False
            time.sleep(REMOTE_POLL_SECONDS)
        return True

    def _caught_up(self, names: Sequence[str], position: int) -> bool:
        if not names:
            return True
        return min(self.runner.store.positions(names).values(), default=0) >= position
