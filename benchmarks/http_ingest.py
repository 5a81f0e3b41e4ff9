"""HTTP ingest on a real uvicorn server: deliveries/s, request latency, write-to-visible lag.

    python -m benchmarks.http_ingest [--deliveries 50000] [--batch 500] [--database-url URL]

Starts `tadamon serve` in its own process on a fresh store, sets up a campaign,
then posts batches sequentially from this process, and measures for each batch
the time until `GET …/totals?min_position=P` answers with the batch included.
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
from domain.actors import Role

COMMITTEES = 20


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


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


def run(deliveries: int, batch: int, env: dict[str, str], port: int) -> dict[str, float]:
    token = bootstrap(Settings()).tokens.create(Role.ADMIN, label="bench").token
    server = start_server(env, port)
    headers = {"Authorization": f"Bearer {token}"}
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    try:
        setup(http, headers, deliveries + COMMITTEES)
        start = datetime(2020, 4, 26, 8, tzinfo=UTC)
        latencies, lags, sent = [], [], 0
        began = time.perf_counter()
        for b in range(deliveries // batch):
            items = [
                {
                    "delivery_id": f"d{b}-{i}",
                    "committee": f"c{b % COMMITTEES}",
                    "household": f"H{b * batch + i:08d}",
                    "household_size": 5,
                    "delivered_at": (start + timedelta(seconds=b)).isoformat(),
                }
                for i in range(batch)
            ]
            t0 = time.perf_counter()
            answer = http.post(
                "/v1/campaigns/bench/deliveries", json={"items": items}, headers=headers
            )
            t1 = time.perf_counter()
            answer.raise_for_status()
            position = answer.json()["position"]
            http.get(
                f"/v1/campaigns/bench/totals?min_position={position}", headers=headers
            ).raise_for_status()
            lags.append(time.perf_counter() - t1)
            latencies.append(t1 - t0)
            sent += answer.json()["recorded"]
        posting = sum(latencies)
        return {
            "deliveries": sent,
            "wall_s": time.perf_counter() - began,
            "deliveries_per_s": sent / posting,
            "p50_ms": percentile(latencies, 0.5) * 1000,
            "p99_ms": percentile(latencies, 0.99) * 1000,
            "lag_p50_ms": percentile(lags, 0.5) * 1000,
            "lag_p99_ms": percentile(lags, 0.99) * 1000,
            "lag_mean_ms": statistics.mean(lags) * 1000,
        }
    finally:
        server.send_signal(signal.SIGINT)  # py-spy writes its profile on SIGINT
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "TADAMON_DATABASE_URL": args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}",
            "TADAMON_SECRETS_DIR": tmp,
            "TADAMON_ADMIN_TOKEN_FILE": str(Path(tmp) / "admin-token"),
        }
        os.environ.update(env)
        figures = run(args.deliveries, args.batch, env, args.port)
    for name, value in figures.items():
        print(f"{name:>18}  {value:,.1f}")


if __name__ == "__main__":
    main()
