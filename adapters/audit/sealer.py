"""Keeps the Merkle log sealed inside the API process and issues scheduled tree heads."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from adapters.audit.findings import TamperedError
from adapters.audit.merkle import MerkleLog
from adapters.audit.signing import TreeHeads
from adapters.audit.watch import AuditWatch

log = logging.getLogger("tadamon.audit")


class Sealer:
    """A save wakes it at once; polling covers writers in other processes.

    The watch, when there is one, runs beside it: started and stopped with it.
    """

    def __init__(
        self,
        merkle: MerkleLog,
        heads: TreeHeads,
        poll_seconds: float,
        head_interval: timedelta,
        watch: AuditWatch | None = None,
    ) -> None:
        self.merkle = merkle
        self.heads = heads
        self.watch = watch
        self._refused_at = float("-inf")
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
        if self.watch is not None:
            self.watch.start()

    def stop(self) -> None:
        if self.watch is not None:
            self.watch.stop()
        self.heads.close()
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def run_once(self) -> int:
        """Seal what is new, and issue a tree head when one is due; returns leaves added."""
        added = self.merkle.seal()
        # After a refusal (already alerted and counted), try again only a head interval later.
        if time.monotonic() - self._refused_at >= self.head_interval.total_seconds():
            try:
                self.heads.issue_if_due(self.head_interval)
            except TamperedError:
                self._refused_at = time.monotonic()
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
