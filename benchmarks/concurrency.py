"""Concurrent writers on a real uvicorn server: no batch told to retry, totals exact.

    python -m benchmarks.concurrency [--quick] [--database-url URL]

16 writers post delivery batches at once. The contended run puts 4 writers on
each of 4 committees, draws every batch from one shared pool of households (so
batches overlap) and tops up stock meanwhile; the baseline is the same load with
one committee per writer and disjoint households, where no write can lose a race.
The benchmark keeps its own count from what it sent and what each item's answer
said, and compares it with the server's totals.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from benchmarks.concurrency_count import Tally, exact
from benchmarks.http_ingest import percentile, server_env, start_server
from benchmarks.report import Row
from benchmarks.stores import DEFAULT_POSTGRES, fresh_store
from domain.actors import Role

WRITERS = 16
SHARED_COMMITTEES = 4
TOP_UP = 10


@dataclass
class Load:
    batches: int  # per writer
    size: int  # deliveries per batch
    contended: bool

    @property
    def committees(self) -> list[str]:
        return [f"c{n}" for n in range(SHARED_COMMITTEES if self.contended else WRITERS)]


def setup(http: httpx.Client, headers: dict[str, str], slug: str, load: Load) -> int:
    """A campaign whose committees each hold enough kits for every item sent to them."""
    stock = load.batches * load.size * WRITERS // len(load.committees)
    campaign: dict[str, object] = {
        "slug": slug,
        "name": slug,
        "starts_on": "2020-04-25",
        "ends_on": "2020-06-30",
    }
    campaign |= {"target_households": 10**6, "budget_mad": "1"}
    http.post("/v1/campaigns", headers=headers, json=campaign).raise_for_status()
    quota = {"households": 10**6}
    http.put(f"/v1/campaigns/{slug}/quotas/MA-CAS", headers=headers, json=quota).raise_for_status()
    for code in load.committees:
        committee = {"code": code, "name": code, "province": "MA-CAS"}
        http.post(f"/v1/campaigns/{slug}/committees", headers=headers, json=committee)
        kits = {"quantity": stock, "reference": f"{code}-first"}
        path = f"/v1/campaigns/{slug}/committees/{code}/stock"
        http.post(path, headers=headers, json=kits).raise_for_status()
    return stock


def items_for(load: Load, writer: int, batch: int, pick: random.Random) -> list[dict[str, object]]:
    committee = load.committees[writer % len(load.committees)]
    if load.contended:  # a pool half the size of what is sent: most households come twice
        numbers = pick.sample(range(load.batches * load.size * WRITERS // 2), load.size)
    else:
        first = (writer * load.batches + batch) * load.size
        numbers = list(range(first, first + load.size))
    return [
        {
            "delivery_id": f"w{writer}-b{batch}-{i}",
            "committee": committee,
            "household": f"HH{n:08d}",
            "household_size": 1 + n % 7,
            "delivered_at": "2020-04-26T10:00:00+01:00",
        }
        for i, n in enumerate(numbers)
    ]


def post(http: httpx.Client, path: str, body: dict[str, Any]) -> httpx.Response:
    """The server's answer, or status 0 when none came (counted, never a dead thread)."""
    try:
        return http.post(path, json=body)
    except httpx.HTTPError:
        return httpx.Response(0)


def write(http: httpx.Client, slug: str, load: Load, writer: int, tally: Tally) -> None:
    pick = random.Random(writer)
    for batch in range(load.batches):
        items = items_for(load, writer, batch, pick)
        started = time.perf_counter()
        answer = post(http, f"/v1/campaigns/{slug}/deliveries", {"items": items})
        took = time.perf_counter() - started
        with tally.lock:
            tally.statuses[answer.status_code] += 1
            tally.latencies.append(took)
            tally.sent.update(str(i["household"]) for i in items)
            tally.people.update({str(i["household"]): int(i["household_size"]) for i in items})  # type: ignore[call-overload]
            if answer.status_code == 200:
                tally.position = max(tally.position, answer.json()["position"])
                for item, result in zip(items, answer.json()["items"], strict=True):
                    if result["status"] == "recorded":
                        tally.recorded[str(item["committee"])] += 1


def top_up(http: httpx.Client, slug: str, load: Load, done: threading.Event, tally: Tally) -> None:
    n = 0
    while not done.wait(0.1):
        code = load.committees[n % len(load.committees)]
        kits = {"quantity": TOP_UP, "reference": f"top-up-{n}"}
        answer = post(http, f"/v1/campaigns/{slug}/committees/{code}/stock", kits)
        with tally.lock:
            tally.statuses[answer.status_code] += 1
            if answer.status_code == 201:
                tally.topped_up[code] += TOP_UP
                tally.position = max(tally.position, answer.json()["position"])
        n += 1


def drive(url: str, headers: dict[str, str], slug: str, load: Load) -> tuple[Tally, float]:
    tally, done = Tally(), threading.Event()
    clients = [httpx.Client(base_url=url, headers=headers, timeout=120) for _ in range(WRITERS + 1)]
    writers = [
        threading.Thread(target=write, args=(clients[w], slug, load, w, tally))
        for w in range(WRITERS)
    ]
    feeder = threading.Thread(target=top_up, args=(clients[-1], slug, load, done, tally))
    started = time.perf_counter()
    for thread in writers:
        thread.start()
    if load.contended:
        feeder.start()
    for thread in writers:
        thread.join()
    elapsed = time.perf_counter() - started
    done.set()
    if load.contended:
        feeder.join()
    for client in clients:
        client.close()
    return tally, elapsed


def run(settings: Settings, load: Load, port: int) -> dict[str, float]:
    container = bootstrap(settings)
    token = container.tokens.create(Role.ADMIN, label="bench").token
    container.close()
    server = start_server(server_env(settings), port)
    url, headers = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {token}"}
    try:
        with httpx.Client(base_url=url, headers=headers, timeout=120) as http:
            stock = setup(http, headers, "bench", load)
            tally, elapsed = drive(url, headers, "bench", load)
            right = exact(http, "bench", tally, stock)
    finally:
        server.terminate()
        server.wait(30)
    refused = sum(n for status, n in tally.statuses.items() if status >= 300)
    return {
        "p50_ms": percentile(tally.latencies, 0.5) * 1000,
        "p99_ms": percentile(tally.latencies, 0.99) * 1000,
        "deliveries_per_s": load.batches * load.size * WRITERS / elapsed,
        "refused": refused,
        "conflicts": tally.statuses[409] + tally.statuses[503],
        "unanswered": tally.statuses[0],
        "exact": 1.0 if right else 0.0,
        "households": len(tally.sent),
    }


def rows(backend: str, settings: Settings, other: Settings, batches: int, port: int) -> list[Row]:
    """The contended run on ``settings``, the baseline on ``other`` (another empty store)."""
    size = 50
    contended = run(settings, Load(batches, size, contended=True), port)
    baseline = run(other, Load(batches, size, contended=False), port)
    bench = "concurrency"
    where = f"{WRITERS} writers x {batches} batches of {size}"
    out = []
    for name, figures in (("overlapping + top-ups", contended), ("disjoint baseline", baseline)):
        out += [
            Row(bench, backend, f"{name}: latency p50 ({where})", figures["p50_ms"], "ms"),
            Row(bench, backend, f"{name}: latency p99", figures["p99_ms"], "ms"),
            Row(bench, backend, f"{name}: throughput", figures["deliveries_per_s"], "items/s"),
        ]
    out += [
        Row(
            bench,
            backend,
            "overlapping: answers 409 or 503",
            contended["conflicts"],
            "",
            "0",
            contended["conflicts"] == 0,
        ),
        Row(
            bench,
            backend,
            "overlapping: answers other than 2xx",
            contended["refused"],
            "",
            "0",
            contended["refused"] == 0,
        ),
        Row(
            bench,
            backend,
            f"overlapping: totals = own count ({contended['households']:,.0f} households)",
            contended["exact"],
            "",
            "1",
            contended["exact"] == 1,
        ),
        Row(
            bench,
            backend,
            "baseline: totals = own count",
            baseline["exact"],
            "",
            "1",
            baseline["exact"] == 1,
        ),
    ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 batches per writer, not 25")
    parser.add_argument("--database-url", default=None, help="a PostgreSQL URL; default SQLite")
    parser.add_argument("--port", type=int, default=8798)
    args = parser.parse_args()
    backend = "postgres" if args.database_url else "sqlite"
    url = args.database_url or DEFAULT_POSTGRES
    with (
        tempfile.TemporaryDirectory() as tmp,
        fresh_store(backend, Path(tmp) / "a", url) as a,
        fresh_store(backend, Path(tmp) / "b", url) as b,
    ):
        for row in rows(backend, a, b, 5 if args.quick else 25, args.port):
            print(" | ".join(row.cells()))


if __name__ == "__main__":
    main()
