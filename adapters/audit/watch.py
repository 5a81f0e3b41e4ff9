"""The watch: stored events re-hashed against their leaves and the signed heads, always.

After start-up it walks the whole log once at full speed, then again and again
at ``rate`` events per second, so any alteration is found within one pass
(log size / rate seconds). Each pass checks every entry of ``walk``: a row
against its recorded leaf, against the hash this watch saw for that leaf
before (so a row rewritten together with its leaf is found too), and the
recomputed leaves against every signed head as the fold passes its size.
Each new finding is logged with its position, counted in
``tadamon_audit_mismatches_total`` and shown on /readyz; from then on the
app refuses proofs, new heads and ?as_of= (TamperedError, HTTP 503).
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from adapters.audit.findings import Finding, TamperedError, judge
from adapters.audit.merkle import Leaf, MerkleLog
from adapters.audit.signing import TreeHeads
from adapters.audit.verifier import TreeBuilder
from adapters.audit.walk import Entry, walk

log = logging.getLogger("tadamon.audit")
PREFIX = 8  # bytes of each leaf hash remembered: 8 MB per million leaves
SHORTEST_PASS = 1.0  # seconds: a small log is re-checked every second, not in a busy loop
# After the start-up pass the watch rests at least this many times as long as each batch
# took: it never holds more than a tenth of the time, however loaded the machine is (a
# batch slowed down by the load makes the watch slower, not the requests).
REST_PER_WORK = 9.0
MAX_FINDINGS = 1000


class AuditWatch:
    def __init__(
        self,
        merkle: MerkleLog,
        heads: TreeHeads,
        rate: float,
        on_finding: Callable[[Finding], None] | None = None,
        batch: int = 256,
    ) -> None:
        self.merkle = merkle
        self.heads = heads
        self.rate = rate
        self.on_finding = on_finding
        self.batch = batch
        self.findings: dict[str, Finding] = {}
        self.passes = 0
        self.rehashed = 0
        self._seen = bytearray()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def first(self) -> Finding | None:
        return next(iter(self.findings.values()), None)

    def check(self) -> None:
        """Raise TamperedError once the watch has found anything."""
        found = self.first()
        if found is not None:
            raise TamperedError(found)

    def status(self) -> dict[str, Any]:
        found = self.first()
        return {
            "watch": "running" if self._thread is not None else "stopped",
            "passes": self.passes,
            "rehashed_events": self.rehashed,
            "mismatches": len(self.findings),
            "first_mismatch": None if found is None else str(found),
        }

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="audit-watch", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _loop(self) -> None:
        throttled = False  # the start-up pass runs at full speed
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                self.run_pass(throttled)
            except Exception:  # the store may be away for a moment: try again
                log.exception("audit watch pass failed")
            throttled = True
            self._stop.wait(max(0.0, SHORTEST_PASS - (time.monotonic() - started)))

    def run_pass(self, throttled: bool = False) -> int:
        """One walk over the whole log; returns how many rows it re-hashed."""
        with self._lock:
            signed = {int(h["tree_size"]): bytes.fromhex(h["root_hash"]) for h in self.heads.all()}
            tree, rehashed, started = TreeBuilder(), 0, time.perf_counter()
            batch_started, paced = started, 0
            for entry in walk(self.merkle, self.merkle.stored):
                rehashed += self._check(entry, tree, signed)
                if throttled and rehashed - paced >= self.batch:
                    self._pace(rehashed, started, batch_started)
                    batch_started, paced = time.perf_counter(), rehashed
                if self._stop.is_set():
                    break
            self.passes += 1
            self.rehashed += rehashed
            return rehashed

    def window_seconds(self, events: int) -> float:
        """How long one throttled pass over ``events`` takes on an idle machine."""
        return max(events / self.rate, SHORTEST_PASS)

    def _pace(self, done: int, started: float, batch_started: float) -> None:
        now = time.perf_counter()
        ahead = done / self.rate - (now - started)
        rest = (now - batch_started) * REST_PER_WORK
        if max(ahead, rest) > 0:
            self._stop.wait(max(ahead, rest))

    def _check(self, entry: Entry, tree: TreeBuilder, signed: dict[int, bytes]) -> int:
        row, leaf = entry.row, entry.leaf
        recomputed = None if row is None else row.leaf_hash()
        finding = judge(entry, recomputed)
        if finding is not None and row is not None and leaf is None and entry.leaf_index is None:
            finding = self._in_a_gap(row.position) or finding
        if leaf is not None:
            folded = leaf.leaf_hash if recomputed is None else recomputed
            finding = finding or self._remembered(leaf)
            tree.append(folded)
            root = signed.get(tree.size)
            if root is not None and not hmac.compare_digest(root, tree.root()):
                self._found(_fork(tree.size))
        if finding is not None:
            self._found(finding)
        return 0 if row is None else 1

    def _remembered(self, leaf: Leaf) -> Finding | None:
        """The recorded leaf as first seen; a later change means it was rewritten."""
        start, recorded = leaf.leaf_index * PREFIX, leaf.leaf_hash[:PREFIX]
        if start == len(self._seen):
            self._seen += recorded
        elif start < len(self._seen) and self._seen[start : start + PREFIX] != recorded:
            return Finding(
                leaf.position, "content altered and its leaf hash rewritten", leaf.leaf_index
            )
        return None

    def _in_a_gap(self, position: int) -> Finding | None:
        gap = self.merkle.gap_holding(position)
        if gap is None:
            return None
        return Finding(
            position,
            f"appeared in the gap {gap[0]}..{gap[1]} the sealer recorded as empty: "
            "written behind the app",
        )

    def _found(self, finding: Finding) -> None:
        key = str(finding)
        if key in self.findings or len(self.findings) >= MAX_FINDINGS:
            return
        self.findings[key] = finding
        log.error("AUDIT MISMATCH %s", finding)
        if self.on_finding is not None:
            self.on_finding(finding)


def _fork(size: int) -> Finding:
    return Finding(
        None,
        f"the stored events no longer fold to the signed head of size {size}: "
        "an event and its leaf hash were rewritten below it",
    )
