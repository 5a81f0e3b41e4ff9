"""Where events already stored sit in the ledger: a resend's answer gives its original's.

Services name the event a resend repeats (aggregate and version, ``EventRef``); this is
the one place that turns those into ledger positions, asked of the ledger's own recorder
(``select_positions``: prepared and binary on PostgreSQL, where the same query through the
SQL toolkit took 6.7-10.4 ms against 3.4 ms for 1,000 events).
"""

from __future__ import annotations

from collections.abc import Collection

from domain.ledger import Ledger
from domain.outcomes import EventRef


class SqlEventPositions:
    """``EventPositions`` over the event store's own table (SQLite or PostgreSQL)."""

    def __init__(self, ledger: Ledger) -> None:
        self.recorder = ledger.recorder

    def positions(self, refs: Collection[EventRef]) -> dict[EventRef, int]:
        wanted = [(r.aggregate_id, r.version) for r in dict.fromkeys(refs)]
        if not wanted:
            return {}
        rows = self.recorder.select_positions(wanted)  # type: ignore[attr-defined]
        return {EventRef(aggregate_id, version): at for aggregate_id, version, at in rows}
