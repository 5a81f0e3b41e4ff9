"""The relay and projection worker processes: wiring, metrics endpoint, stop on signal."""

from __future__ import annotations

import logging
import threading

from prometheus_client import start_http_server

from adapters.bootstrap import Container
from adapters.kafka.consumer import KafkaProjector, make_consumer, run_projector
from adapters.kafka.producers import RecordProducer, make_producer
from adapters.kafka.relay import Relay, Shard, TopicMismatchError, ensure_topic, run_relay
from adapters.lag import LagProbe, RelayPositions
from adapters.live import LiveProjections
from adapters.metrics import Metrics
from adapters.projection_set import TOTALS_PROJECTIONS
from adapters.store import LedgerEventSource
from adapters.wakeup import listen_for_appends
from projections.runner import Runner

log = logging.getLogger("tadamon.workers")
TOTALS = [p.name for p in TOTALS_PROJECTIONS]


def _metrics(container: Container, probe: LagProbe) -> Metrics:
    metrics = Metrics()
    metrics.watch_lag(probe)
    port = container.settings.metrics_port
    if port:
        start_http_server(port, addr=container.settings.host, registry=metrics.registry)
    return metrics


def relay_process(container: Container, stop: threading.Event) -> None:
    """Publish until ``stop``: woken by PostgreSQL notifications, else by the poll interval."""
    settings = container.settings
    probe = LagProbe(
        container.ledger, container.views, [], settings.kafka_topic, settings.relay_shards
    )
    metrics = _metrics(container, probe)

    def producer() -> RecordProducer:
        ensure_topic(settings)  # retried with the publish, so a missing broker only waits
        return make_producer(settings)

    relay = Relay(
        container.ledger,
        RelayPositions(container.engine),
        producer,
        settings.kafka_topic,
        settings.relay_batch_size,
        metrics,
        partitions=settings.kafka_partitions,
        shard=Shard(settings.relay_shard, settings.relay_shards),
    )
    wake = threading.Event()
    listener = listen_for_appends(settings, container.ledger, wake.set)
    where = {"position": relay.positions.get(relay.position_key), "shard": relay.position_key}
    log.info("relay started", extra=where)
    try:
        run_relay(relay, wake, stop, settings.projection_poll_seconds)
    except TopicMismatchError as error:
        log.error("relay refused to start: %s", error)
        raise SystemExit(f"tadamon relay: {error}") from None
    finally:
        if listener is not None:
            listener.stop()
        relay.close()


def project_process(container: Container, source: str, stop: threading.Event) -> None:
    """Keep the totals views current until ``stop``, from Kafka or straight from the store."""
    probe = LagProbe(container.ledger, container.views, TOTALS)
    metrics = _metrics(container, probe)
    if source not in ("kafka", "store"):
        raise ValueError(f"unknown projection source {source!r}: kafka or store")
    if source == "store":
        _project_from_store(container, stop)
        return
    projector = _projector(container, metrics, stop)
    if projector is None:
        return
    try:
        run_projector(projector, stop)
    finally:
        projector.close()


def _project_from_store(container: Container, stop: threading.Event) -> None:
    settings = container.settings
    runner = Runner(
        LedgerEventSource(container.ledger),
        container.views,
        TOTALS_PROJECTIONS,
        settings.projection_batch_size,
    )
    live = LiveProjections(
        runner,
        settings.projection_poll_seconds,
        listen=lambda wake: listen_for_appends(settings, container.ledger, wake),
    )
    live.start()
    stop.wait()
    live.stop()


def _projector(
    container: Container, metrics: Metrics, stop: threading.Event
) -> KafkaProjector | None:
    backoff = 0.5
    while not stop.is_set():
        try:
            consumer = make_consumer(container.settings)
        except Exception as error:  # no broker yet: wait for it, never crash-loop
            log.warning("cannot reach Kafka, retrying in %.1fs: %s", backoff, type(error).__name__)
            stop.wait(backoff)
            backoff = min(backoff * 2, 30.0)
            continue
        projector = KafkaProjector(
            consumer,
            container.ledger.mapper,
            container.views,
            TOTALS_PROJECTIONS,
            container.settings.kafka_topic,
            metrics,
            container.settings.projection_batch_size,
        )
        projector.start()
        return projector
    return None
