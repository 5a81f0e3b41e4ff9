"""HTTP ingest with the audit watch on, against the same ingest with it off, side by side.

Two servers run at once, each on its own fresh store, one with the watch (as
served) and one without; batches go to each in turn, so both meet the same
machine load, which on a shared machine moves more than the watch costs.
"""

from __future__ import annotations

import signal
import subprocess
import time

import httpx

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from benchmarks.http_ingest import COMMITTEES, batch_of, server_env, setup, start_server
from benchmarks.report import Row, at_least
from domain.actors import Role

WATCH_RATIO = 0.9  # the floor: ingest with the watch on / with it off
BATCH = 500


class _Side:
    def __init__(self, settings: Settings, port: int, watch: bool, households: int) -> None:
        container = bootstrap(settings)
        token = container.tokens.create(Role.ADMIN, label="bench").token
        container.close()
        self.server: subprocess.Popen[bytes] = start_server(server_env(settings, watch), port)
        self.headers = {"Authorization": f"Bearer {token}"}
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
        setup(self.http, self.headers, households)
        self.spent, self.sent = 0.0, 0

    def post(self, b: int) -> None:
        started = time.perf_counter()
        answer = self.http.post(
            "/v1/campaigns/bench/deliveries",
            json={"items": batch_of(b, BATCH)},
            headers=self.headers,
        )
        self.spent += time.perf_counter() - started
        answer.raise_for_status()
        self.sent += answer.json()["recorded"]

    def close(self) -> None:
        self.http.close()
        self.server.send_signal(signal.SIGINT)
        self.server.wait(30)


def rows(
    backend: str, on: Settings, off: Settings, deliveries: int, ports: tuple[int, int]
) -> list[Row]:
    households = deliveries + COMMITTEES * BATCH
    sides = [_Side(off, ports[0], False, households), _Side(on, ports[1], True, households)]
    try:
        for b in range(max(1, deliveries // BATCH)):
            for side in sides:
                side.post(b)
    finally:
        for side in sides:
            side.close()
    rate_off, rate_on = (side.sent / side.spent for side in sides)
    return [
        at_least(
            "http ingest",
            backend,
            f"audit watch on / off, batches alternating ({rate_on:,.0f} / {rate_off:,.0f} "
            "deliveries/s)",
            rate_on / rate_off,
            "",
            WATCH_RATIO,
        )
    ]
