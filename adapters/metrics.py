"""Prometheus metrics, one registry per container so tests never share counters."""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Callable, Sequence
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.events_appended = Counter(
            "tadamon_events_appended_total",
            "Events appended to the ledger, by type",
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
        self.ready = Gauge(
            "tadamon_ready",
            "1 when the store answers and views are caught up",
            registry=self.registry,
        )

    def count_appended(self, recordings: Sequence[Any]) -> None:
        by_topic = Tally(recording.notification.topic for recording in recordings)
        for topic, count in by_topic.items():
            self.events_appended.labels(type=topic.rsplit(".", 1)[-1]).inc(count)

    def watch_lag(self, lag: Callable[[], dict[str, int]]) -> None:
        self.registry.register(_LagCollector(lag))

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _LagCollector(Collector):
    """Projection lag read at scrape time, so it is never stale."""

    def __init__(self, lag: Callable[[], dict[str, int]]) -> None:
        self.lag = lag

    def collect(self) -> Any:
        family = GaugeMetricFamily(
            "tadamon_projection_lag_events",
            "Events stored but not yet applied, per view",
            labels=["view"],
        )
        try:
            for view, behind in self.lag().items():
                family.add_metric([view], behind)
        except Exception:
            return
        yield family
