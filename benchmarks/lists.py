"""Lists: enrolment rate (import and HTTP batches), a committee's list download and a delta.

    python -m benchmarks.lists [--households 8000] [--database-url URL]

On a fresh store: imports ``households`` rows from a CSV file in-process (the
import's rate), then, through `tadamon serve` in its own process, enrols as many
again in HTTP batches of 1,000 beside a baseline of batches of 10, downloads the
list of the committee that holds ``households`` entries (bytes as JSON and gzip,
time), records 100 deliveries by voucher and downloads the delta after them.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from benchmarks.http_ingest import server_env, start_server
from benchmarks.report import Row, at_least, at_most
from benchmarks.stores import DEFAULT_POSTGRES, fresh_store
from domain.actors import Actor, Role

C = "/v1/campaigns/lists"
DOWNLOAD_MS, DELTA_MS, DELTA_BYTES = 250, 50, 10_000
TARGET_HOUSEHOLDS_PER_S = 1_000
BENCH = "lists"


def _campaign(http: httpx.Client, headers: dict[str, str], households: int) -> None:
    body = {
        "slug": "lists",
        "name": "lists",
        "starts_on": "2020-04-25",
        "ends_on": "2020-06-30",
        "target_households": 3 * households,
        "budget_mad": "0",
        "admission": "listed",
    }
    http.post("/v1/campaigns", json=body, headers=headers).raise_for_status()
    quota = {"households": 3 * households}
    http.put(f"{C}/quotas/MA-CAS", json=quota, headers=headers).raise_for_status()
    for code in ("imported", "posted", "baseline"):
        committee = {"code": code, "name": code, "province": "MA-CAS"}
        http.post(f"{C}/committees", json=committee, headers=headers).raise_for_status()
    stock = {"quantity": 200, "reference": "bl"}
    http.post(f"{C}/committees/imported/stock", json=stock, headers=headers).raise_for_status()


def _import_rate(settings: Settings, households: int) -> float:
    rows = "".join(f"IM{n:08d};imported;{1 + n % 7}\r\n" for n in range(households))
    data = ("household;committee;household_size\r\n" + rows).encode()
    container = bootstrap(settings)
    try:
        started = time.perf_counter()
        report = container.imports.run("enrolments", "lists", data, Actor(Role.ADMIN, "bench"))
        elapsed = time.perf_counter() - started
    finally:
        container.close()
    assert report.count("recorded") == households
    return households / elapsed


def _http_rate(
    http: httpx.Client, headers: dict[str, str], count: int, size: int, tag: str
) -> float:
    elapsed = 0.0
    for start in range(0, count, size):
        items = [
            {
                "household": f"{tag}{n:08d}",
                "committee": "posted" if tag == "HP" else "baseline",
                "household_size": 3,
            }
            for n in range(start, min(start + size, count))
        ]
        t0 = time.perf_counter()
        http.post(f"{C}/enrolments", json={"items": items}, headers=headers).raise_for_status()
        elapsed += time.perf_counter() - t0
    return count / elapsed


def _download(
    http: httpx.Client, headers: dict[str, str], since: int = 0
) -> tuple[float, int, int, dict]:
    """Median time of five downloads, bytes on the wire with gzip, bytes of the JSON."""
    times, answer = [], None
    for _ in range(5):
        t0 = time.perf_counter()
        answer = http.get(
            f"{C}/committees/imported/list",
            params={"since": since},
            headers={**headers, "Accept-Encoding": "gzip"},
        )
        times.append(time.perf_counter() - t0)
        answer.raise_for_status()
    assert answer is not None
    return (
        statistics.median(times) * 1000,
        answer.num_bytes_downloaded,
        len(answer.content),
        answer.json(),
    )


def _deliver_100(http: httpx.Client, headers: dict[str, str], vouchers: list[str]) -> None:
    items = [
        {
            "delivery_id": f"d{n}",
            "committee": "imported",
            "voucher": code,
            "household_size": 3,
            "delivered_at": "2020-04-26T10:00:00+01:00",
        }
        for n, code in enumerate(vouchers[:100])
    ]
    answer = http.post(f"{C}/deliveries", json={"items": items}, headers=headers)
    answer.raise_for_status()
    assert answer.json()["recorded"] == len(items)


def run(backend: str, settings: Settings, households: int, port: int) -> list[Row]:
    container = bootstrap(settings)
    token = container.tokens.create(Role.ADMIN, label="bench").token
    container.close()
    headers = {"Authorization": f"Bearer {token}"}
    server = start_server(server_env(settings), port)
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
    try:
        _campaign(http, headers, households)
        imported = _import_rate(settings, households)
        posted = _http_rate(http, headers, households, 1000, "HP")
        baseline = _http_rate(http, headers, min(households, 1000), 10, "HB")
        full_ms, full_wire, full_json, page = _download(http, headers)
        _deliver_100(http, headers, [entry[0] for entry in page["entries"]])
        delta_ms, _, delta_json, delta = _download(http, headers, page["position"])
    finally:
        http.close()
        server.send_signal(signal.SIGINT)
        server.wait(30)
    n = f"{len(page['entries']):,}"
    return [
        at_least(
            BENCH,
            backend,
            f"enrolment by import ({households:,} rows)",
            imported,
            "households/s",
            TARGET_HOUSEHOLDS_PER_S,
        ),
        at_least(
            BENCH,
            backend,
            "enrolment over HTTP, batches of 1,000",
            posted,
            "households/s",
            TARGET_HOUSEHOLDS_PER_S,
        ),
        Row(
            BENCH, backend, "baseline: enrolment over HTTP, batches of 10", baseline, "households/s"
        ),
        at_most(
            BENCH, backend, f"list download, {n} entries (median of 5)", full_ms, "ms", DOWNLOAD_MS
        ),
        Row(
            BENCH, backend, f"list download, {n} entries, gzip on the wire", full_wire / 1000, "kB"
        ),
        Row(BENCH, backend, f"list download, {n} entries, JSON", full_json / 1000, "kB"),
        at_most(
            BENCH,
            backend,
            f"delta after 100 deliveries ({len(delta['entries'])} entries)",
            delta_ms,
            "ms",
            DELTA_MS,
        ),
        at_most(
            BENCH, backend, "delta after 100 deliveries, JSON", delta_json, "bytes", DELTA_BYTES
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=8000)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL URL; default SQLite")
    parser.add_argument("--port", type=int, default=8797)
    args = parser.parse_args()
    backend = "postgres" if args.database_url else "sqlite"
    with (
        tempfile.TemporaryDirectory() as tmp,
        fresh_store(backend, Path(tmp), args.database_url or DEFAULT_POSTGRES) as settings,
    ):
        for row in run(backend, settings, args.households, args.port):
            print(*row.cells(), sep="  |  ")


if __name__ == "__main__":
    main()
