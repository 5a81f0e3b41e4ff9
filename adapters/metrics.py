"""Prometheus metrics, one registry per container so tests never share counters."""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from adapters.lag import LagProbe


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.events_appended = Counter(
            "tadamon_events_appended_total",
            "Events appended to the ledger, by aggregate and event (e.g. Campaign.Launched)",
            ["type"],
            registry=self.registry,
        )
        self.requests = Counter(
            "tadamon_http_requests_total",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "tadamon_http_request_seconds",
            "HTTP request latency",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.projected = Counter(
            "tadamon_projection_events_total",
            "Events folded into views by the runner",
            registry=self.registry,
        )
        self.relay_published = Counter(
            "tadamon_relay_published_total",
            "Events the relay published and the broker acknowledged",
            registry=self.registry,
        )
        self.kafka_publish_errors = Counter(
            "tadamon_kafka_publish_errors_total",
            "Relay sections that failed to publish (retried with backoff)",
            registry=self.registry,
        )
        self.kafka_gaps = Gauge(
            "tadamon_kafka_gap_partitions",
            "Partitions where a Kafka-fed view stopped: a gap in what it received, or its "
            "offsets reset (see /readyz for the recovery command)",
            ["view"],
            registry=self.registry,
        )
        self.audit_mismatches = Counter(
            "tadamon_audit_mismatches",
            "Places where stored events no longer match their sealed leaves or signed heads",
            registry=self.registry,
        )
        self.audit_signing_refusals = Counter(
            "tadamon_audit_signing_refusals",
            "Tree heads not signed because the stored events do not extend the last head",
            registry=self.registry,
        )
        self.ready = Gauge(
            "tadamon_ready",
            "1 when the store answers and views are caught up",
            registry=self.registry,
        )

    def count_appended(self, recordings: Sequence[Any]) -> None:
        by_topic = Tally(recording.notification.topic for recording in recordings)
        for topic, count in by_topic.items():
            self.events_appended.labels(type=event_type(topic)).inc(count)

    def watch_lag(self, probe: LagProbe) -> None:
        self.registry.register(_LagCollector(probe))

    def render(self) -> bytes:
        return generate_latest(self.registry)


def event_type(topic: str) -> str:
    """``module:Campaign.Launched`` -> ``Campaign.Launched``: the aggregate names the event."""
    return topic.rpartition(":")[2]


class _LagCollector(Collector):
    """Projection and relay lag read at scrape time, so they are never stale."""

    def __init__(self, probe: LagProbe) -> None:
        self.probe = probe

    def collect(self) -> Any:
        events = GaugeMetricFamily(
            "tadamon_projection_lag_events",
            "Events stored but not yet applied, per view",
            labels=["view"],
        )
        seconds = GaugeMetricFamily(
            "tadamon_projection_lag_seconds",
            "Age of the oldest event a view has not applied yet",
            labels=["view"],
        )
        try:
            for view, lag in self.probe.of_views().items():
                events.add_metric([view], lag.events)
                seconds.add_metric([view], lag.seconds)
            relay = self.probe.of_relay()
        except Exception:  # the store is down: /readyz says so; scrapes still answer
            return
        yield events
        yield seconds
        if relay is not None:
            yield GaugeMetricFamily(
                "tadamon_relay_lag_events", "Events stored but not yet published", relay.events
            )
            yield GaugeMetricFamily(
                "tadamon_relay_lag_seconds",
                "Age of the oldest event not yet published to Kafka",
                relay.seconds,
            )
