"""A broker that loses its log: workers find the gap, stop, say so, and recover by republishing.

The worker reads the first events; more are published and acknowledged while it is
away; the broker restarts in memory (its log is gone) and the relay publishes more.
The worker must not count the new events over the lost ones: it stops, /readyz and
the metric say where, and `tadamon relay --republish-from N` makes the totals exact.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from adapters.bootstrap import Container, bootstrap
from adapters.health import readiness
from adapters.projection_set import TOTALS_PROJECTIONS
from adapters.settings import Settings
from api.cli import app as cli
from tests.integration.test_audit_cli import cli_env
from tests.integration.test_kafka_projections import wait_caught_up, workers
from tests.integration.test_kafka_relay import drain, make_relay
from tests.kafka_broker import TEST_SESSION_TIMEOUT_MS, OwnBroker
from tests.workload import assert_totals_exact, deliver, launch

pytestmark = [pytest.mark.kafka, pytest.mark.slow]
TOTALS = sorted(p.name for p in TOTALS_PROJECTIONS)
PARTITIONS = 3


@pytest.fixture
def kafka_container(store_settings: Settings, own_broker: OwnBroker) -> Any:
    built = bootstrap(
        store_settings,
        projection_source="kafka",
        kafka_bootstrap_servers=own_broker.servers,
        kafka_topic="tadamon.gap",
        kafka_group="tadamon-gap",
        kafka_partitions=PARTITIONS,
        kafka_session_timeout_ms=TEST_SESSION_TIMEOUT_MS,
    )
    yield built
    built.close()


def publish(container: Container) -> None:
    relay = make_relay(container)
    try:
        drain(relay)
    finally:
        relay.close()


def faults_when_stopped(
    container: Container, timeout: float = 25
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """/readyz's Kafka faults, and its body, once every view has stopped on every partition."""
    deadline = time.monotonic() + timeout
    while True:
        _, body = readiness(container)
        faults = body.get("kafka_faults", [])
        if len([f for f in faults if f["kind"] == "gap"]) == len(TOTALS) * PARTITIONS:
            return faults, body
        assert time.monotonic() < deadline, faults
        time.sleep(0.2)


def republish_from(container: Container, position: int) -> Result:
    """The operator's recovery, as /readyz names it, on the command line."""
    env = cli_env(container.settings) | {"TADAMON_KAFKA_TOPIC": container.settings.kafka_topic}
    return CliRunner().invoke(cli, ["relay", "--republish-from", str(position)], env=env)


def gauge(container: Container, view: str) -> float | None:
    return container.metrics.registry.get_sample_value(
        "tadamon_kafka_gap_partitions", {"view": view}
    )


def test_a_lost_log_stops_the_workers_until_a_republish_makes_totals_exact(
    kafka_container: Container, own_broker: OwnBroker
) -> None:
    launch(kafka_container)
    deliver(kafka_container, 0, 150)
    publish(kafka_container)
    read_up_to = kafka_container.ledger.recorder.max_notification_id()
    with workers(kafka_container, 1):
        wait_caught_up(kafka_container)
    deliver(kafka_container, 150, 150)
    publish(kafka_container)  # acknowledged by the broker, never read by a worker...
    own_broker.restart()  # ...and lost with its log
    deliver(kafka_container, 300, 50)
    publish(kafka_container)

    with workers(kafka_container, 1):
        faults, body = faults_when_stopped(kafka_container)
        stopped = kafka_container.views.positions(TOTALS)
        gauges = {view: gauge(kafka_container, view) for view in TOTALS}
        recover = {f["recover"] for f in faults}
        assert recover == {f"tadamon relay --republish-from {read_up_to}"}
        relayed = kafka_container.ledger.recorder.max_notification_id()
        answer = republish_from(kafka_container, read_up_to)
        publish(kafka_container)
        wait_caught_up(kafka_container)
        _, after = readiness(kafka_container)
        gauges_after = {view: gauge(kafka_container, view) for view in TOTALS}

    assert sorted((f["view"], f["partition"]) for f in faults) == [
        (view, partition) for view in TOTALS for partition in range(PARTITIONS)
    ]
    assert stopped == {view: read_up_to for view in TOTALS}
    assert [body["views"][view]["caught_up"] for view in TOTALS] == [False] * len(TOTALS)
    assert gauges == {view: PARTITIONS for view in TOTALS}
    assert (answer.exit_code, answer.output) == (
        0,
        f"relay position of tadamon.gap: {relayed} -> {read_up_to}; "
        "the relay publishes everything after it again\n",
    )
    assert_totals_exact(kafka_container)
    assert "kafka_faults" not in after
    assert gauges_after == {view: 0 for view in TOTALS}
