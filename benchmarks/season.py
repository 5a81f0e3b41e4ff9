"""The season store the other benchmarks read: the 2020 season generated through the services.

Generating it is also the season-replay check: every event is then replayed in
memory, and the published figures must come back exactly.
"""

from __future__ import annotations

import sys
import time

from sqlalchemy import Engine, text

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from adapters.simulator import readback
from adapters.simulator.season import plan, run
from adapters.simulator.service_driver import ServiceDriver
from adapters.store import events_table
from benchmarks.report import Row

SEED = 2020


def stored_events(engine: Engine, settings: Settings) -> int:
    """How many events are stored (positions may skip a number after a rolled-back write)."""
    query = text(f"SELECT count(*) FROM {events_table(settings)}")  # noqa: S608 - a setting
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def generate(backend: str, settings: Settings, scale: float) -> tuple[int, list[Row]]:
    """Fill the store with the season; (events stored, rows for the table)."""
    container = bootstrap(settings)
    try:
        season = plan(scale, SEED)
        started = time.perf_counter()
        tally = run(season, ServiceDriver(container))
        spent = time.perf_counter() - started
        events = stored_events(container.engine, settings)
        replayed = readback.figures(season.targets, readback.from_replay(container))
        live = readback.figures(season.targets, readback.from_views(container))
    finally:
        container.close()
    for surprise in tally.surprises:
        print(f"season {backend}: unexpected answer: {surprise}", file=sys.stderr, flush=True)
    wrong = [f.name for f in replayed + live if not f.ok]
    verdict = "every figure" if not wrong and not tally.surprises else ", ".join(wrong) or "answers"
    return events, [
        Row(
            "season",
            backend,
            f"generated through the services ({events:,} events)",
            events / spent,
            "events/s",
        ),
        Row(
            "season",
            backend,
            f"replay and totals show the published figures x{scale:g}",
            len(replayed) - len(set(wrong)),
            f"of {len(replayed)} figures",
            verdict,
            not wrong and not tally.surprises,
        ),
    ]
