"""The benchmark suite: `python -m benchmarks [--quick] [options]` (also `make bench`).

Runs, on SQLite and on PostgreSQL, the season generation and replay check,
ingest, HTTP ingest, rebuild, verification, live lag, memory, lists and relay
benchmarks, prints the table and writes benchmarks/RESULTS.md with the machine it ran on.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from adapters.store import ledger_env
from benchmarks import (
    as_of,
    concurrency,
    http_ingest,
    http_replicas,
    ingest,
    lag,
    lists,
    machine,
    memory,
    rebuild,
    relay,
    scale,
    season,
    verify,
    watch,
    watch_ingest,
)
from benchmarks.report import HEADER, Row, plain_line, write
from benchmarks.stores import DEFAULT_POSTGRES, fresh_store, postgres_available
from domain.ledger import Ledger

BENCHES = (
    "season",
    "ingest",
    "http",
    "concurrency",
    "rebuild",
    "verify",
    "asof",
    "lag",
    "memory",
    "lists",
    "relay",
)
FULL = {
    "scale": 1.0,
    "ingest": 600_000,
    "http": 100_000,
    "lag": 60.0,
    "naive": 20_000,
    "per_event": 20.0,
    "concurrency": 25,
    "lists": 8_000,
    "relay": 50_000,
}
QUICK = {
    "scale": 0.003,
    "ingest": 5_000,
    "http": 5_000,
    "lag": 5.0,
    "naive": 500,
    "per_event": 2.0,
    "concurrency": 5,
    "lists": 1_000,
    "relay": 2_000,
}


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for CI's smoke run")
    parser.add_argument("--scale", type=float, help="season scale (full: 1.0, quick: 0.003)")
    parser.add_argument("--ingest-deliveries", type=int, help="deliveries for the ingest benchmark")
    parser.add_argument("--http-deliveries", type=int, help="deliveries posted over HTTP")
    parser.add_argument("--lag-seconds", type=float, help="how long the paced writer writes")
    parser.add_argument("--naive-events", type=int, help="events saved one save() at a time")
    parser.add_argument("--per-event-seconds", type=float, help="time for the batch_size=1 rebuild")
    parser.add_argument(
        "--concurrency-batches", type=int, help="batches each of the 16 concurrent writers posts"
    )
    parser.add_argument("--list-households", type=int, help="households on the benchmarked list")
    parser.add_argument(
        "--relay-deliveries", type=int, help="deliveries written, then relayed by each client"
    )
    parser.add_argument(
        "--scales", help="the scale run instead: season sizes, e.g. 0.1,1,5,10 (see scale.py)"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="scale run: keep the points already in --output that this run does not measure",
    )
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--only", default=",".join(BENCHES), help=f"some of: {','.join(BENCHES)}")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    parser.add_argument("--note", action="append", default=[], help="a line for RESULTS.md")
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)  # now, not after an hour of work
    return args


def sizes(args: argparse.Namespace) -> dict[str, float]:
    chosen = dict(QUICK if args.quick else FULL)
    given = {
        "scale": args.scale,
        "ingest": args.ingest_deliveries,
        "http": args.http_deliveries,
        "lag": args.lag_seconds,
        "naive": args.naive_events,
        "per_event": args.per_event_seconds,
        "concurrency": args.concurrency_batches,
        "lists": args.list_households,
        "relay": args.relay_deliveries,
    }
    chosen.update({k: v for k, v in given.items() if v is not None})
    return chosen


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def backend_rows(
    backend: str,
    size: dict[str, float],
    only: set[str],
    url: str,
    tmp: Path,
    show: Callable[[list[Row]], None],
) -> None:
    if only & {"season", "rebuild", "verify", "asof", "memory"}:  # the store they all read
        with fresh_store(backend, tmp / "season", url) as settings:
            _, rows = season.generate(backend, settings, size["scale"])
            show(rows)
            ledger = Ledger(env=ledger_env(settings))
            try:
                if "rebuild" in only:
                    show(rebuild.run(backend, ledger, settings, tmp, size["per_event"]))
                if "verify" in only:
                    show(verify.run(backend, ledger, tmp))
                    show(watch.run(backend, settings))
            finally:
                ledger.close()
            if "asof" in only:
                show(as_of.run(backend, settings))
            if "memory" in only:
                show(memory.run(backend, settings, tmp))
    if "ingest" in only:
        with (
            fresh_store(backend, tmp / "ingest", url) as a,
            fresh_store(backend, tmp / "naive", url) as b,
        ):
            show(ingest.run(backend, a, b, tmp, int(size["ingest"]), int(size["naive"])))
    if "http" in only:
        with fresh_store(backend, tmp / "http", url) as settings:
            show(http_ingest.rows(backend, settings, int(size["http"]), free_port()))
        for load, rate in (("replicas", None), ("paced", http_replicas.TARGET_RATE)):
            with fresh_store(backend, tmp / load, url) as settings:
                replicas = [free_port(), free_port()]
                show(http_replicas.rows(backend, settings, int(size["http"]), replicas, rate=rate))
        with (
            fresh_store(backend, tmp / "watched", url) as on,
            fresh_store(backend, tmp / "unwatched", url) as off,
        ):
            ports = (free_port(), free_port())
            show(watch_ingest.rows(backend, on, off, int(size["http"]) // 2, ports))
    if "concurrency" in only:
        with (
            fresh_store(backend, tmp / "contended", url) as a,
            fresh_store(backend, tmp / "disjoint", url) as b,
        ):
            show(concurrency.rows(backend, a, b, int(size["concurrency"]), free_port()))
    if "lag" in only:
        with fresh_store(backend, tmp / "lag", url) as settings:
            show(lag.run(backend, settings, size["lag"]))
    if "lists" in only:
        with fresh_store(backend, tmp / "lists", url) as settings:
            show(lists.run(backend, settings, int(size["lists"]), free_port()))
    if "relay" in only:
        with fresh_store(backend, tmp / "relay", url) as settings:
            show(relay.run(backend, settings, int(size["relay"])))


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    size, only = sizes(args), set(args.only.split(","))
    backends = args.backends.split(",")
    notes = list(args.note)
    if "postgres" in backends and (problem := postgres_available(args.postgres_url)):
        backends.remove("postgres")
        notes.append(f"PostgreSQL left out: {problem}")
    if "relay" in only and (problem := relay.broker_problem()):
        only.remove("relay")
        notes.append(f"relay left out: {problem}")
    described = machine.describe(args.postgres_url if "postgres" in backends else None)
    if args.scales:
        return scale_run(args, backends, described, notes)
    rows: list[Row] = []

    def show(new: list[Row]) -> None:
        rows.extend(new)
        for row in new:
            print(plain_line(row.cells()), flush=True)

    started = time.perf_counter()
    print(plain_line(HEADER))
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix=f"bench-{backend}-") as tmp:
            backend_rows(backend, size, only, args.postgres_url, Path(tmp), show)
    minutes = (time.perf_counter() - started) / 60
    notes.append(
        f"load average at the end (1/5/15 min): {machine.load()}; "
        f"the whole run took {minutes:.1f} min"
    )
    workload = {
        "season scale": f"{size['scale']:g} (1 = the full 2020 season)",
        "ingest": f"{int(size['ingest']):,} deliveries, batches of 1,000 per committee",
        "HTTP ingest": f"{int(size['http']):,} deliveries, batches of 500: one client and one "
        "process; then 4 clients and 2 processes (one with the projections, one replica)",
        "concurrent writers": f"16 HTTP clients x {int(size['concurrency'])} batches of 50 "
        "deliveries at once: 4 per committee on one shared pool of households, stock topped "
        "up every 0.1 s; baseline: one committee each, disjoint households",
        "live lag": f"{size['lag']:g} s of writes at 1,000 deliveries/s",
        "naive saves": f"up to {int(size['naive']):,} events (at most 60 s)",
        "bulk saves": f"up to {10 * int(size['naive']):,} events, 100 per save (at most 60 s)",
        "rebuild, one transaction per event": f"{size['per_event']:g} s",
        "lists": f"{int(size['lists']):,} households imported, as many over HTTP, one committee's "
        "list and a delta after 100 deliveries",
        "relay": f"{int(size['relay']):,} deliveries in batches of 500, then the same events "
        "relayed to a Tansu broker by kafka-python, librdkafka and two kafka-python relay shards "
        "in turn, 3 runs each",
    }
    given = argv if argv is not None else sys.argv[1:]
    shown = [
        a for i, a in enumerate(given) if a != "--note" and (i == 0 or given[i - 1] != "--note")
    ]
    command = " ".join(["python -m benchmarks", shlex.join(shown)]).strip()
    write(args.output, command, described, workload, rows, notes)
    print(f"\nwritten to {args.output}")
    return 0


def scale_run(
    args: argparse.Namespace, backends: list[str], described: dict[str, str], notes: list[str]
) -> int:
    points: list[scale.Point] = []
    factors = [float(s) for s in args.scales.split(",")]
    kept, said = _kept_points(args, {(b, f) for b in backends for f in factors}, described)
    notes.extend(said)
    started = time.perf_counter()
    for factor in factors:  # refused before an hour of generation, not after
        season.seasons_of(factor)
    for factor in factors:
        for backend in backends:
            with tempfile.TemporaryDirectory(prefix=f"scale-{backend}-") as tmp:
                point = scale.measure(backend, factor, args.postgres_url, Path(tmp))
            points.append(point)
            print(backend, f"x{factor:g}", f"{point.events:,} events", point.figures, flush=True)
            if point.not_shown:  # a point whose season did not add up says so
                notes.append(
                    f"{backend} x{factor:g}: published figures not shown: {point.not_shown}"
                )
            minutes = (time.perf_counter() - started) / 60
            done = f"load average after it: {machine.load()}; {minutes:.1f} min so far"
            # Written after each point: a long sweep stopped part-way keeps what it measured.
            scale.write(args.output, scale.merged(kept, points), described, [*notes, done])
    print(f"\nwritten to {args.output} and {scale.CHART.name} beside it")
    return 0


def _kept_points(
    args: argparse.Namespace, planned: set[tuple[str, float]], described: dict[str, str]
) -> tuple[list[scale.Point], list[str]]:
    """``--keep``: the points in ``--output`` this run does not measure, and a note on them."""
    kept = [p for p in scale.earlier(args.output) if (p.backend, p.scale) not in planned]
    if not (args.keep and kept):
        return [], []
    said = ["kept from the earlier run: " + ", ".join(f"{p.backend} x{p.scale:g}" for p in kept)]
    cpu, mine = scale.earlier_cpu(args.output), described.get("CPU")
    if cpu is not None and cpu != mine:
        said.append(f"the kept points ran on another machine (CPU: {cpu}; this run: {mine})")
    return kept, said


def _exit_on_sigterm() -> None:
    """``kill`` unwinds like Ctrl-C: each ``fresh_store`` drops its schema or file on the
    way out (a stopped scale run left a 707 MB schema behind)."""
    signal.signal(signal.SIGTERM, lambda number, _frame: sys.exit(128 + number))


if __name__ == "__main__":
    _exit_on_sigterm()
    raise SystemExit(main())
