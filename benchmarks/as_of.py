"""As-of latency on the season store: from the nearest checkpoint, beside the fold from the start.

The season was generated through the services, so the runner wrote its checkpoints
as it went (every ``Settings.checkpoint_every_events``). Totals of the campaign are
asked as of instants spread over the season (``Audit.as_of``, what ``?as_of=``
calls), timed from a checkpoint; the baseline folds the same view from the first
event at the last instant only (the worst case, and what every as-of cost before).
The per-event slope is the tail's cost: seconds per event folded after the checkpoint.

The generated season's events are stamped as they are written, so a month of operation
is stamped within minutes, and the production margin (300 s of events read past the
instant for late commits) would cover most of the log. The margin is scaled down with
the time: ``MARGIN_SECONDS``, beside the one-second stamps of a fast writer.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import datetime, timedelta

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from adapters.simulator.ramadan import CAMPAIGN
from benchmarks.report import Row, at_most
from projections import distribution
from projections.as_of import view_as_of

INSTANTS = 12
MARGIN_SECONDS = 1.0
TARGET_SECONDS = 1.0


def run(backend: str, settings: Settings) -> list[Row]:
    settings = settings.model_copy(update={"as_of_margin_seconds": MARGIN_SECONDS})
    container = bootstrap(settings)
    try:
        audit = container.audit
        source = audit.source
        first = source.read(0, 1)[0].recorded_at
        tail = source.read(max(0, source.head() - 2000), 2000)
        last = max(item.recorded_at for item in tail)
        timed = []
        for instant in _spread(first, last):
            started = time.perf_counter()
            answer = audit.as_of(distribution.VIEW, CAMPAIGN, instant)
            # ``events``: how many were folded after the checkpoint it started from.
            timed.append((time.perf_counter() - started, answer.events))
        margin = timedelta(seconds=settings.as_of_margin_seconds)
        started = time.perf_counter()
        full = view_as_of(source, audit.projection(distribution.VIEW), CAMPAIGN, last, margin)
        full_spent = time.perf_counter() - started
        kept = audit.checkpoints
        checkpoints = len(kept.positions(distribution.VIEW)) if kept else 0
    finally:
        container.close()
    return _rows(backend, timed, full.events, full_spent, checkpoints)


def _spread(first: datetime, last: datetime) -> list[datetime]:
    chance = random.Random(16)
    return [*sorted(first + (last - first) * chance.random() for _ in range(INSTANTS - 1)), last]


def _rows(
    backend: str,
    timed: list[tuple[float, int]],
    full_events: int,
    full_spent: float,
    checkpoints: int,
) -> list[Row]:
    seconds = [t for t, _ in timed]
    tails = [n for _, n in timed]
    slope = sum(seconds) / max(1, sum(tails))
    name, p50 = "from the nearest checkpoint", statistics.median(seconds)
    return [
        Row("as-of", backend, "checkpoints of the distribution view", checkpoints, ""),
        Row("as-of", backend, f"from the start ({full_events:,} events)", full_spent * 1e3, "ms"),
        Row("as-of", backend, f"{name}, p50 of {len(timed)} instants", p50 * 1e3, "ms"),
        at_most("as-of", backend, f"{name}, worst", max(seconds), "s", TARGET_SECONDS),
        Row("as-of", backend, "events folded after the checkpoint, worst", max(tails), "events"),
        Row("as-of", backend, "cost per event folded (slope)", slope * 1e6, "µs"),
    ]
