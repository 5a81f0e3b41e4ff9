"""Readiness: the store answers and the views this process keeps are caught up.

Views fed by other processes (Kafka workers) and the relay are reported but do
not make the API unready: writes must keep flowing while Kafka is down, and
their lag is alerted on from the metrics.
"""

from __future__ import annotations

from typing import Any

from adapters.bootstrap import Container
from adapters.kafka.faults import KafkaFaults
from adapters.projection_set import fed_elsewhere, lag_probe


def readiness(container: Container) -> tuple[bool, dict[str, Any]]:
    settings = container.settings
    probe = lag_probe(settings, container.ledger, container.views)
    own = set(container.runner.names) if settings.run_projections else set()
    remote = {p.name for p in fed_elsewhere(settings)}
    try:
        lags = probe.of_views()
        relay = probe.of_relay()
        faults = KafkaFaults(container.engine, container.views.dialect).all()
    except Exception as error:
        container.metrics.ready.set(0)
        return False, {"status": "unavailable", "store": f"unreachable ({type(error).__name__})"}
    bound = settings.ready_max_lag_seconds
    stopped = {fault["view"] for fault in faults}  # a gap stops a view, whatever its lag
    views = {
        name: {
            "lag_events": lag.events,
            "lag_seconds": round(lag.seconds, 3),
            "fed_by": _feeder(name, own, remote),
            "caught_up": lag.seconds <= bound and name not in stopped,
        }
        for name, lag in lags.items()
    }
    ready = all(views[name]["caught_up"] for name in own)
    container.metrics.ready.set(1 if ready else 0)
    body: dict[str, Any] = {"status": "ready" if ready else "lagging", "store": "ok"}
    body["views"] = views
    if faults:  # what Kafka workers cannot get past alone, with the command that recovers
        body["kafka_faults"] = faults
    # The watch's findings are shown, not made a reason to be unready: writes keep
    # flowing, while proofs, new heads and ?as_of= answer 503 naming the position.
    body["audit"] = container.audit.watch.status()
    if relay is not None:
        body["relay"] = {"lag_events": relay.events, "lag_seconds": round(relay.seconds, 3)}
    return ready, body


def _feeder(name: str, own: set[str], remote: set[str]) -> str:
    if name in own:
        return "this process"
    return "kafka workers" if name in remote else "nobody"
