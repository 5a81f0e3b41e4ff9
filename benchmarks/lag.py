"""Live lag: from a write's acknowledgement to its total being visible, under a steady load.

A paced writer records deliveries through the service at a steady 1,000
deliveries/s (committee batches of up to 100, each sent when the rate allows
it), while the in-process live runner keeps the views current, as in the API
process. A second thread
takes each acknowledged position and waits until every view has applied it.
"""

from __future__ import annotations

import queue
import threading
import time

from adapters.bootstrap import Container, bootstrap
from adapters.live import LiveProjections
from adapters.settings import Settings
from adapters.simulator.noise import QUIET
from adapters.simulator.ramadan import Deliveries, RamadanPlan
from adapters.simulator.service_driver import SIMULATOR, ServiceDriver
from benchmarks.http_ingest import percentile
from benchmarks.report import Row, at_most
from domain.distribution.commands import RecordDelivery

TARGET_P99_MS = 250
RATE = 1000
BATCH = 100


def watch(
    live: LiveProjections, acks: queue.Queue[tuple[int, float] | None], lags: list[float]
) -> None:
    while (ack := acks.get()) is not None:
        position, acknowledged = ack
        live.wait_for(position, 60)
        lags.append(time.perf_counter() - acknowledged)


def run(backend: str, settings: Settings, seconds: float) -> list[Row]:
    container = bootstrap(settings)
    try:
        households = int(RATE * seconds) + 75 * BATCH
        plan = RamadanPlan(households, seed=1, noise=QUIET, batch_size=BATCH)
        driver = ServiceDriver(container)
        for step in plan.setup():
            driver.send(step)
        container.runner.catch_up()
        container.live.start()
        acks: queue.Queue[tuple[int, float] | None] = queue.Queue()
        lags: list[float] = []
        watcher = threading.Thread(target=watch, args=(container.live, acks, lags))
        watcher.start()
        sent, spent = write_steadily(container, plan, seconds, acks)
        acks.put(None)
        watcher.join()
    finally:
        container.close()
    return [
        Row(
            "live lag",
            backend,
            f"paced writer: achieved rate ({sent:,} deliveries)",
            sent / spent,
            "deliveries/s",
            f"{RATE:,} asked",
        ),
        Row(
            "live lag",
            backend,
            "write acknowledged -> total visible, p50",
            percentile(lags, 0.5) * 1000,
            "ms",
        ),
        at_most(
            "live lag",
            backend,
            "write acknowledged -> total visible, p99",
            percentile(lags, 0.99) * 1000,
            "ms",
            TARGET_P99_MS,
        ),
    ]


def write_steadily(
    container: Container,
    plan: RamadanPlan,
    seconds: float,
    acks: queue.Queue[tuple[int, float] | None],
) -> tuple[int, float]:
    service = container.distribution
    started = time.perf_counter()
    sent = 0
    for step in Deliveries(plan).steps():
        due = started + sent / RATE
        if due - started >= seconds:
            break
        time.sleep(max(0.0, due - time.perf_counter()))
        items = [RecordDelivery(**item) for item in step.items]
        outcome = service.record_deliveries(step.target[0], items, SIMULATOR)
        acks.put((outcome.position, time.perf_counter()))
        sent += len(items)
    return sent, time.perf_counter() - started
