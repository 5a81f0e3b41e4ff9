"""The audit watch: events/s it re-hashes in one full-speed pass, beside verify_export's.

Seals the store's history and signs a head first (untimed), then times one
start-up pass of the watch over the whole log: every stored row read, hashed
into its leaf, compared with the recorded leaf and folded against the head.
"""

from __future__ import annotations

import time

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from benchmarks.report import Row


def run(backend: str, settings: Settings) -> list[Row]:
    container = bootstrap(settings, run_sealer=False, run_projections=False)
    try:
        container.audit.merkle.seal()
        container.audit.heads.issue()
        started = time.perf_counter()
        rehashed = container.audit.watch.run_pass()
        spent = time.perf_counter() - started
        found = len(container.audit.watch.findings)
    finally:
        container.close()
    if found:
        raise RuntimeError(f"the watch found {found} mismatches in an untouched store")
    return [
        Row(
            "verification",
            backend,
            f"audit watch, one full-speed pass ({rehashed:,} events re-hashed)",
            rehashed / spent,
            "events/s",
        )
    ]
