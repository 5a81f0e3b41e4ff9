"""HTTP ingest as deployed at scale: several API processes, several clients at once.

    python -m benchmarks.http_replicas [--deliveries 100000] [--processes 2] [--clients 4]
                                       [--database-url URL]

The first `tadamon serve` runs the projections, the Merkle sealer and the audit watch
(as `make run` does); every other one is a stateless replica
(`TADAMON_RUN_PROJECTIONS=false`, no sealer, no watch), as `deployments/` runs them.
Each client posts its own committees' batches of 500 to the processes in turn, so
no two clients race for a household: this measures capacity, not contention
(`benchmarks/concurrency.py` does that). Throughput is what every client recorded
over the wall time from the first request to the last answer.

Two loads. *Saturated* (closed loop): each client sends its next batch as soon as the
last is answered, so the latency is what the queue makes it: with C clients of B
deliveries at a rate R, Little's law gives a mean of C x B / R. *Paced* (open loop,
``--rate``): each client sends on a fixed schedule that together offers R deliveries/s,
and a latency runs from the batch's scheduled time, not from when a late client got
round to it, so a server that falls behind shows it in the tail (no coordinated omission).
"""

from __future__ import annotations

import argparse
import signal
import tempfile
import threading
import time
from pathlib import Path

import httpx

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from benchmarks.http_ingest import COMMITTEES, batch_of, percentile, server_env, setup, start_server
from benchmarks.report import Row, at_least, at_most
from benchmarks.stores import DEFAULT_POSTGRES, fresh_store
from domain.actors import Role

BATCH = 500
TARGET_RATE = 5_000
TARGET_P99_MS = 150

REPLICA = {
    "TADAMON_RUN_PROJECTIONS": "false",
    "TADAMON_RUN_SEALER": "false",
    "TADAMON_RUN_AUDIT_WATCH": "false",
}


def start_processes(settings: Settings, ports: list[int]) -> list:
    env = server_env(settings)
    servers = [start_server(env, ports[0])]
    servers += [start_server(env | REPLICA, port) for port in ports[1:]]
    return servers


def schedule(start: float, client: int, clients: int, count: int, rate: float) -> list[float]:
    """When one paced client sends each of its batches: the clients share ``rate`` evenly
    and start staggered, so the server sees a batch every ``BATCH / rate`` seconds."""
    every = clients * BATCH / rate
    first = start + client * every / clients
    return [first + k * every for k in range(count)]


def post_batches(
    urls: list[str],
    headers: dict[str, str],
    batches: list[int],
    out: dict[str, list],
    due: list[float] | None = None,
) -> None:
    clients = [httpx.Client(base_url=url, timeout=120) for url in urls]
    try:
        for n, b in enumerate(batches):
            http = clients[n % len(clients)]
            t0 = time.perf_counter()
            if due is not None:
                time.sleep(max(0.0, due[n] - t0))
                t0 = due[n]
            answer = http.post(
                "/v1/campaigns/bench/deliveries",
                json={"items": batch_of(b, BATCH)},
                headers=headers,
            )
            out["latencies"].append(time.perf_counter() - t0)
            answer.raise_for_status()
            out["recorded"].append(answer.json()["recorded"])
    finally:
        for http in clients:
            http.close()


def run(
    settings: Settings,
    deliveries: int,
    clients: int,
    ports: list[int],
    rate: float | None = None,
) -> dict[str, float]:
    container = bootstrap(settings)
    token = container.tokens.create(Role.ADMIN, label="bench").token
    container.close()
    servers = start_processes(settings, ports)
    urls = [f"http://127.0.0.1:{p}" for p in ports]
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with httpx.Client(base_url=urls[0], timeout=60) as http:
            setup(http, headers, deliveries + COMMITTEES * BATCH)
        return _timed(urls, headers, max(clients, deliveries // BATCH), clients, rate)
    finally:
        for server in servers:
            server.send_signal(signal.SIGINT)
        for server in servers:
            server.wait(30)


def _timed(
    urls: list[str], headers: dict[str, str], batches: int, clients: int, rate: float | None
) -> dict:
    # Client c owns committees c, c + clients, ...: batch b goes to committee b % COMMITTEES.
    owned = [[b for b in range(batches) if b % clients == c] for c in range(clients)]
    out: dict[str, list] = {"latencies": [], "recorded": []}
    begin = time.perf_counter() + 0.2  # every thread started before the first batch is due
    due = [
        schedule(begin, c, clients, len(owned[c]), rate) if rate else None for c in range(clients)
    ]
    threads = [
        threading.Thread(
            target=post_batches,
            args=(urls[c % len(urls) :] + urls[: c % len(urls)], headers, owned[c], out, due[c]),
        )
        for c in range(clients)
    ]
    start = begin if rate else time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    if len(out["latencies"]) != batches:
        raise SystemExit(f"only {len(out['latencies'])} of {batches} batches were answered")
    recorded = sum(out["recorded"])
    return {
        "deliveries": recorded,
        "deliveries_per_s": recorded / wall,
        "p50_ms": percentile(out["latencies"], 0.5) * 1000,
        "p99_ms": percentile(out["latencies"], 0.99) * 1000,
    }


def rows(
    backend: str,
    settings: Settings,
    deliveries: int,
    ports: list[int],
    clients: int = 4,
    rate: float | None = None,
) -> list[Row]:
    """One server per port: the first with the projections, the others replicas.
    Saturated without ``rate`` (capacity), paced at ``rate`` deliveries/s (latency)."""
    figures = run(settings, deliveries, clients, ports, rate)
    load = f"paced at {rate:,.0f}/s offered" if rate else "saturated"
    shape = f"{len(ports)} API processes, {clients} clients, {load}"
    sent = f"batches of {BATCH} ({int(figures['deliveries']):,} deliveries)"
    p99 = f"{shape}: request latency p99" + (" from the scheduled send" if rate else "")
    return [
        at_least(
            "http ingest",
            backend,
            f"{shape}, {sent}",
            figures["deliveries_per_s"],
            "deliveries/s",
            TARGET_RATE,
        ),
        Row("http ingest", backend, f"{shape}: request latency p50", figures["p50_ms"], "ms"),
        at_most("http ingest", backend, p99, figures["p99_ms"], "ms", TARGET_P99_MS)
        if rate
        else Row("http ingest", backend, p99, figures["p99_ms"], "ms"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL URL; default SQLite")
    parser.add_argument("--port", type=int, default=8810)
    parser.add_argument("--rate", type=float, default=None, help="paced: deliveries/s offered")
    args = parser.parse_args()
    backend = "postgres" if args.database_url else "sqlite"
    with (
        tempfile.TemporaryDirectory() as tmp,
        fresh_store(backend, Path(tmp), args.database_url or DEFAULT_POSTGRES) as settings,
    ):
        ports = [args.port + n for n in range(args.processes)]
        figures = run(settings, args.deliveries, args.clients, ports, args.rate)
    for name, value in figures.items():
        print(f"{name:>18}  {value:,.1f}")


if __name__ == "__main__":
    main()
