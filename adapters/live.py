"""Runs the projection runner in a background thread, woken by every save."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

from projections.runner import Runner

log = logging.getLogger("tadamon.projections")


class LiveProjections:
    """Keeps views current: a save wakes the thread at once; polling covers other writers."""

    def __init__(self, runner: Runner, poll_seconds: float) -> None:
        self.runner = runner
        self.poll_seconds = poll_seconds
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

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
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
                    return self._caught_up(position)
                self._wake.set()
                self._advanced.wait(min(remaining, 0.05))
        return True

    def _caught_up(self, position: int) -> bool:
        return min(self.runner.store.positions(self.runner.names).values(), default=0) >= position
