"""Keeps the Merkle log sealed inside the API process and issues scheduled tree heads."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from adapters.audit.merkle import MerkleLog
from adapters.audit.signing import TreeHeads

log = logging.getLogger("tadamon.audit")


class Sealer:
    """A save wakes it at once; polling covers writers in other processes."""

    def __init__(
        self, merkle: MerkleLog, heads: TreeHeads, poll_seconds: float, head_interval: timedelta
    ) -> None:
        self.merkle = merkle
        self.heads = heads
        self.poll_seconds = poll_seconds
        self.head_interval = head_interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def on_saved(self, _recordings: Sequence[Any]) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="sealer", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def run_once(self) -> int:
        """Seal what is new, and issue a tree head when one is due; returns leaves added."""
        added = self.merkle.seal()
        self.heads.issue_if_due(self.head_interval)
        return added

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # keep serving: the next wake-up retries
                log.exception("sealing failed")
                self._stop.wait(1.0)
                continue
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
