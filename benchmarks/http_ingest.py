"""HTTP ingest on a real uvicorn server: deliveries/s, request latency, write-to-visible lag.

    python -m benchmarks.http_ingest [--deliveries 50000] [--batch 500] [--database-url URL]
                                     [--visibility]

Starts `tadamon serve` in its own process on a fresh store (projections running
in it, as in production), sets up a campaign, then posts batches from this
process, one request at a time. With ``--visibility`` it also measures, after
each batch, the time until `GET …/totals?min_position=P` includes it.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from benchmarks.report import Row, at_least
from benchmarks.stores import DEFAULT_POSTGRES, fresh_store
from domain.actors import Role

COMMITTEES = 20
TARGET_RATE = 5_000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def server_env(settings: Settings, watch: bool = True) -> dict[str, str]:
    return {
        "TADAMON_RUN_AUDIT_WATCH": "true" if watch else "false",
        **os.environ,
        "TADAMON_DATABASE_URL": settings.database_url,
        "TADAMON_DATABASE_SCHEMA": settings.database_schema,
        "TADAMON_SECRETS_DIR": str(settings.secrets_dir),
        "TADAMON_HASH_SECRET": settings.identity_secret().decode(),
        "TADAMON_ADMIN_TOKEN_FILE": str(settings.admin_token_file),
        "TADAMON_LOG_LEVEL": "WARNING",
    }


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port)]
    if os.environ.get("BENCH_PROFILE"):  # e.g. BENCH_PROFILE=/tmp/server.txt (needs py-spy)
        command = [
            "py-spy",
            "record",
            "-f",
            "raw",
            "-o",
            os.environ["BENCH_PROFILE"],
            "--",
            *command,
        ]
    server = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


def setup(http: httpx.Client, headers: dict[str, str], households: int) -> None:
    http.post(
        "/v1/campaigns",
        headers=headers,
        json={
            "slug": "bench",
            "name": "bench",
            "starts_on": "2020-04-25",
            "ends_on": "2020-06-30",
            "target_households": households,
            "budget_mad": "1",
        },
    ).raise_for_status()
    http.put(
        "/v1/campaigns/bench/quotas/MA-CAS", headers=headers, json={"households": households}
    ).raise_for_status()
    for n in range(COMMITTEES):
        http.post(
            "/v1/campaigns/bench/committees",
            headers=headers,
            json={"code": f"c{n}", "name": f"c{n}", "province": "MA-CAS"},
        ).raise_for_status()
        http.post(
            f"/v1/campaigns/bench/committees/c{n}/stock",
            headers=headers,
            json={"quantity": households // COMMITTEES, "reference": "r"},
        ).raise_for_status()


def batch_of(b: int, batch: int) -> list[dict[str, object]]:
    """One committee's batch, as the field sends it."""
    start = datetime(2020, 4, 26, 8, tzinfo=UTC)
    return [
        {
            "delivery_id": f"d{b}-{i}",
            "committee": f"c{b % COMMITTEES}",
            "household": f"H{b * batch + i:08d}",
            "household_size": 5,
            "delivered_at": (start + timedelta(seconds=b)).isoformat(),
        }
        for i in range(batch)
    ]


def run(
    settings: Settings, deliveries: int, batch: int, port: int, visibility: bool = False
) -> dict[str, float]:
    container = bootstrap(settings)
    token = container.tokens.create(Role.ADMIN, label="bench").token
    container.close()
    server = start_server(server_env(settings), port)
    headers = {"Authorization": f"Bearer {token}"}
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    try:
        setup(http, headers, deliveries + COMMITTEES * batch)
        latencies, lags, sent = [], [], 0
        for b in range(max(1, deliveries // batch)):
            items = batch_of(b, batch)
            t0 = time.perf_counter()
            answer = http.post(
                "/v1/campaigns/bench/deliveries", json={"items": items}, headers=headers
            )
            t1 = time.perf_counter()
            answer.raise_for_status()
            latencies.append(t1 - t0)
            sent += answer.json()["recorded"]
            if visibility:
                position = answer.json()["position"]
                http.get(
                    f"/v1/campaigns/bench/totals?min_position={position}", headers=headers
                ).raise_for_status()
                lags.append(time.perf_counter() - t1)
        figures = {
            "deliveries": sent,
            "deliveries_per_s": sent / sum(latencies),
            "p50_ms": percentile(latencies, 0.5) * 1000,
            "p99_ms": percentile(latencies, 0.99) * 1000,
        }
        if lags:
            figures |= {
                "lag_p50_ms": percentile(lags, 0.5) * 1000,
                "lag_p99_ms": percentile(lags, 0.99) * 1000,
                "lag_mean_ms": statistics.mean(lags) * 1000,
            }
        return figures
    finally:
        http.close()
        server.send_signal(signal.SIGINT)  # py-spy writes its profile on SIGINT
        server.wait(30)


def rows(backend: str, settings: Settings, deliveries: int, port: int) -> list[Row]:
    figures = run(settings, deliveries, 500, port)
    sent = int(figures["deliveries"])
    return [
        at_least(
            "http ingest",
            backend,
            f"POST …/deliveries, batches of 500 ({sent:,} deliveries)",
            figures["deliveries_per_s"],
            "deliveries/s",
            TARGET_RATE,
        ),
        Row("http ingest", backend, "request latency p50", figures["p50_ms"], "ms"),
        Row("http ingest", backend, "request latency p99", figures["p99_ms"], "ms"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL URL; default SQLite")
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--visibility", action="store_true")
    args = parser.parse_args()
    backend = "postgres" if args.database_url else "sqlite"
    with (
        tempfile.TemporaryDirectory() as tmp,
        fresh_store(backend, Path(tmp), args.database_url or DEFAULT_POSTGRES) as settings,
    ):
        figures = run(settings, args.deliveries, args.batch, args.port, args.visibility)
    for name, value in figures.items():
        print(f"{name:>18}  {value:,.1f}")


if __name__ == "__main__":
    main()
