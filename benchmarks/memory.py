"""Memory: peak RSS of a replay and of a rebuild over the whole season, each in its own process.

    python -m benchmarks.memory replay|rebuild --database-url URL [--schema S] --where DIR

The child reports its own high-water mark (VmHWM), so one run's peak never
hides behind another's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from adapters.settings import Settings
from adapters.simulator.readback import replay_source
from adapters.store import LedgerEventSource, ledger_env
from benchmarks.parts import Parts
from benchmarks.rebuild import SECTION, fresh_views, rebuild
from benchmarks.report import Row, at_most
from benchmarks.stores import SECRET
from domain.ledger import Ledger
from projections.ports import Positioned

TARGET_MB = 500


def peak_rss_mb() -> float:
    with open("/proc/self/status", encoding="utf-8") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Counted:
    """The event source, counting the events it hands out and timing each tenth of them."""

    def __init__(self, source: LedgerEventSource) -> None:
        self.source = source
        self.events = 0
        self.parts = Parts(source.head())

    def read(self, after: int, limit: int) -> Sequence[Positioned]:
        self.parts.reached(self.events)  # the sections handed out so far are folded
        section = self.source.read(after, limit)
        self.events += len(section)
        return section

    def head(self) -> int:
        return self.source.head()


def storage_read_bytes() -> int:
    """Bytes this process has had read from storage (not the page cache); 0 where unknown.

    A SQLite store is read in this process, so a fold that misses the page cache shows
    here; a PostgreSQL server's reads are its own."""
    try:
        with open("/proc/self/io", encoding="utf-8") as io:
            found = dict(line.split(": ") for line in io.read().splitlines())
    except OSError:
        return 0
    return int(found.get("read_bytes", 0))


def measure(what: str, settings: Settings, where: Path) -> dict[str, float]:
    ledger = Ledger(env=ledger_env(settings))
    counted = Counted(LedgerEventSource(ledger))
    started, cpu, read = time.perf_counter(), time.process_time(), storage_read_bytes()
    held = 0.0
    if what == "replay":
        held = held_bytes(replay_source(counted)) / 2**20
        events = counted.events
    else:
        with fresh_views(settings, where, "views-memory") as engine:
            events, _ = rebuild(counted, engine, SECTION)
    spent = time.perf_counter() - started
    cpu, read = time.process_time() - cpu, storage_read_bytes() - read
    counted.parts.end(counted.events)
    ledger.close()
    return {
        "events": events,
        "seconds": spent,
        "cores": cpu / spent,  # below 1: the fold waited (on storage, or on a server)
        "read_mb": read / 2**20,
        "peak_rss_mb": peak_rss_mb(),
        "state_mb": held,
        "last_over_first": counted.parts.last_over_first(),
    }


def held_bytes(value: object) -> int:
    """Bytes the replay's answer holds: its tallies' dicts, keys and values, each object once.

    What grows with the seasons stored (each season its own campaign, days and sites),
    against the peak RSS beside it: the rest of the process is the same at every size.
    """
    seen: set[int] = set()
    total, stack = 0, [value]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, dict):
            stack += [*item.keys(), *item.values()]
        elif isinstance(item, list | tuple | set | frozenset):
            stack += list(item)
        elif hasattr(item, "__dataclass_fields__"):
            stack += [getattr(item, name) for name in item.__dataclass_fields__]
    return total


def in_child(what: str, settings: Settings, where: Path) -> dict[str, float]:
    argv = [
        sys.executable,
        "-m",
        "benchmarks.memory",
        what,
        "--database-url",
        settings.database_url,
        "--schema",
        settings.database_schema,
        "--where",
        str(where),
    ]
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def run(backend: str, settings: Settings, where: Path) -> list[Row]:
    rows = []
    for what in ("replay", "rebuild"):
        figures = in_child(what, settings, where)
        measure_name = f"peak RSS, {what} of {int(figures['events']):,} events (own process)"
        rows.append(
            at_most("memory", backend, measure_name, figures["peak_rss_mb"], "MB", TARGET_MB)
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("replay", "rebuild"))
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--schema", default="public")
    parser.add_argument("--where", type=Path, required=True)
    args = parser.parse_args()
    settings = Settings(
        database_url=args.database_url, database_schema=args.schema, hash_secret=SECRET
    )
    print(json.dumps(measure(args.what, settings, args.where)))


if __name__ == "__main__":
    main()
