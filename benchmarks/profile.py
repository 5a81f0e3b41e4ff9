"""Where the time goes on each hot path: a pyinstrument profile of one benchmark's timed part.

    pip install pyinstrument   # a profiling tool, not a dependency of tadamon
    python -m benchmarks.profile ingest|rebuild|read|replay|verify [--backend sqlite]
                                 [--scale 0.05] [--deliveries 20000] [--depth 2]

The season store is generated first (untimed) for rebuild, read, replay and
verify. The HTTP server is best profiled from outside with py-spy:
``py-spy record -p <server pid> -f raw -o server.txt`` while
``python -m benchmarks.http_ingest`` runs.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from adapters.simulator.noise import QUIET
from adapters.simulator.ramadan import Deliveries, RamadanPlan
from adapters.simulator.readback import replay_source
from adapters.simulator.season import plan, run
from adapters.simulator.service_driver import SIMULATOR, ServiceDriver
from adapters.store import LedgerEventSource
from benchmarks import rebuild, verify
from benchmarks.stores import DEFAULT_POSTGRES, fresh_store
from domain.distribution.commands import RecordDelivery


def season_store(settings: Settings, scale: float) -> None:
    container = bootstrap(settings)
    try:
        run(plan(scale, 2020), ServiceDriver(container))
    finally:
        container.close()


def ingest_work(settings: Settings, deliveries: int) -> Callable[[], Any]:
    container = bootstrap(settings)
    planned = RamadanPlan(deliveries, seed=1, noise=QUIET, batch_size=1000)
    driver = ServiceDriver(container)
    for step in planned.setup():
        driver.send(step)
    batches = [
        (s.target[0], [RecordDelivery(**i) for i in s.items]) for s in Deliveries(planned).steps()
    ]

    def work() -> None:
        for slug, items in batches:
            container.distribution.record_deliveries(slug, items, SIMULATOR)

    return work


def season_work(what: str, settings: Settings, where: Path) -> Callable[[], Any]:
    container = bootstrap(settings)
    source = LedgerEventSource(container.ledger)
    if what == "read":
        return lambda: rebuild.read_and_decode(source)
    if what == "replay":
        return lambda: replay_source(source)
    if what == "verify":
        return lambda: verify.run("profile", container.ledger, where)

    def rebuild_all() -> None:
        with rebuild.fresh_views(settings, where, "views-profile") as engine:
            rebuild.rebuild(source, engine, rebuild.SECTION)

    return rebuild_all


def main() -> None:
    from pyinstrument import Profiler

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("ingest", "rebuild", "read", "replay", "verify"))
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--deliveries", type=int, default=20_000)
    parser.add_argument("--show-all", action="store_true")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        fresh_store(args.backend, Path(tmp), args.postgres_url) as settings,
    ):
        if args.what == "ingest":
            work = ingest_work(settings, args.deliveries)
        else:
            season_store(settings, args.scale)
            work = season_work(args.what, settings, Path(tmp))
        profiler = Profiler(interval=0.0005)
        with profiler:
            work()
        print(profiler.output_text(unicode=False, color=False, show_all=args.show_all))


if __name__ == "__main__":
    main()
