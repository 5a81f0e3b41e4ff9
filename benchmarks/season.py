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
from adapters.simulator.earlier_seasons import STORE_WIDE, Seasons
from adapters.simulator.figures import targets
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


def seasons_of(scale: float) -> tuple[float, int]:
    """(scale of each season, how many seasons): above 1, whole seasons of the full size."""
    if scale <= 1:
        return scale, 1
    if scale != int(scale):
        raise ValueError(f"scale {scale:g}: above 1, a whole number of seasons (2, 5, 10)")
    return 1.0, int(scale)


def generate(backend: str, settings: Settings, scale: float) -> tuple[int, list[Row]]:
    """Fill the store with the season (or seasons); (events stored, rows for the table).

    Above 1 the store holds that many seasons: the years before 2020 first, 2020 last
    (``adapters.simulator.earlier_seasons``); the 2020 figures are the ones checked.
    """
    each, count = seasons_of(scale)
    container = bootstrap(settings)
    try:
        goal = targets(each)
        started = time.perf_counter()
        tally = run(Seasons(lambda: plan(each, SEED), count), ServiceDriver(container))
        spent = time.perf_counter() - started
        events = stored_events(container.engine, settings)
        replayed = readback.figures(goal, readback.from_replay(container))
        live = readback.figures(goal, readback.from_views(container))
    finally:
        container.close()
    for surprise in tally.surprises:
        print(f"season {backend}: unexpected answer: {surprise}", file=sys.stderr, flush=True)
    mixed = STORE_WIDE if count > 1 else frozenset()
    wrong = [f.name for f in replayed + live if not f.ok and f.name not in mixed]
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
            f"replay and totals show the published figures x{each:g}"
            + (f" (2020 of {count} seasons; store-wide donations left out)" if mixed else ""),
            len(replayed) - len(set(wrong)),
            f"of {len(replayed)} figures",
            verdict,
            not wrong and not tally.surprises,
        ),
    ]
