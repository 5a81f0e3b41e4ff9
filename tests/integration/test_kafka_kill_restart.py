"""Real `tadamon relay` and `tadamon project --source kafka` processes, SIGKILLed mid-stream.

After restarts, every stored event is on Kafka (by distinct position) and every
total equals an in-memory replay of the whole history: nothing lost, nothing
counted twice.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from adapters.bootstrap import Container, bootstrap
from adapters.database import view_partitions
from adapters.lag import Lag, LagProbe, RelayPositions, relay_position_key
from adapters.projection_set import TOTALS_PROJECTIONS
from adapters.settings import Settings
from tests.kafka_broker import KAFKA_CLIENTS, read_topic
from tests.workload import assert_totals_exact, deliver, launch, stored_positions

pytestmark = [pytest.mark.kafka, pytest.mark.slow]
TADAMON = str(Path(sys.executable).parent / "tadamon")
TOTALS = [p.name for p in TOTALS_PROJECTIONS]


def settings_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TADAMON_")}
    for name, value in settings.model_dump().items():
        if value is None:
            continue
        shown = value.get_secret_value() if isinstance(value, SecretStr) else value
        env[f"TADAMON_{name.upper()}"] = (
            str(shown).lower() if isinstance(shown, bool) else str(shown)
        )
    return env


class Process:
    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.args, self.env, self.log = args, env, log
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> Process:
        with self.log.open("ab") as out:
            self.popen = subprocess.Popen(
                [TADAMON, *self.args], env=self.env, stdout=out, stderr=out
            )
        return self

    def kill(self) -> None:
        assert self.popen is not None and self.popen.poll() is None, self.log.read_text()[-2000:]
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self) -> int | None:
        if self.popen is None or self.popen.poll() is not None:
            return self.popen.returncode if self.popen else None
        self.popen.send_signal(signal.SIGTERM)
        try:
            return self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            return None


def wait_until(check: Callable[[], bool], what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.005)


def head(container: Container) -> int:
    return container.ledger.recorder.max_notification_id() or 0


def applied_offsets(container: Container) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.sum(view_partitions.c.next_offset))).scalar() or 0)


@pytest.fixture
def stack(store_settings: Settings, kafka_overrides: dict[str, Any], tmp_path: Path) -> Any:
    container = bootstrap(
        store_settings,
        projection_source="kafka",
        relay_batch_size=50,
        projection_batch_size=50,
        projection_poll_seconds=0.1,
        log_level="WARNING",
        **kafka_overrides,
    )
    env = settings_env(container.settings)
    relay = Process(["relay"], env, tmp_path / "relay.log")
    worker = Process(["project", "--source", "kafka"], env, tmp_path / "worker.log")
    yield container, relay, worker
    for process in (relay, worker):
        process.stop()
    container.close()


@pytest.mark.parametrize("kafka_client", KAFKA_CLIENTS)
def test_killed_relay_and_worker_lose_nothing_and_count_nothing_twice(stack: Any) -> None:
    container, relay, worker = stack
    topic = container.settings.kafka_topic
    positions = RelayPositions(container.engine)
    launch(container)
    deliver(container, 0, 2500)
    backlog = head(container)
    writer = threading.Thread(target=deliver, args=(container, 2500, 1500, 100))

    relay.start()
    wait_until(lambda: positions.get(topic) > backlog // 4, "the relay is under way")
    relayed_at_kill = positions.get(topic)
    relay.kill()
    assert 0 < relayed_at_kill < backlog, "killed mid-stream"

    worker.start()
    relay.start()
    writer.start()
    wait_until(lambda: applied_offsets(container) > 0, "the worker has committed a batch")
    worker.kill()
    assert min(container.views.positions(TOTALS).values()) < head(container), "killed mid-stream"
    relay.kill()
    relay.start()
    worker.start()
    writer.join()

    total = head(container)
    wait_until(lambda: positions.get(topic) == total, "the relay has published everything")
    wait_until(
        lambda: min(container.views.positions(TOTALS).values()) == total,
        "the totals include every event",
    )
    assert relay.stop() == 0 and worker.stop() == 0, "SIGTERM stops them cleanly"
    servers = container.settings.kafka_bootstrap_servers
    on_kafka = {
        int(dict(r.headers)["ce_position"]) for r in read_topic(servers, topic) if r.key is not None
    }
    assert on_kafka == stored_positions(container)
    assert_totals_exact(container)


def test_two_relay_shards_one_killed_mid_stream_lose_nothing(stack: Any, tmp_path: Path) -> None:
    container, _, worker = stack
    topic = container.settings.kafka_topic
    positions = RelayPositions(container.engine)
    keys = [relay_position_key(topic, shard, 2) for shard in range(2)]
    env = settings_env(container.settings) | {"TADAMON_RELAY_SHARDS": "2"}
    shards = [
        Process(["relay"], env | {"TADAMON_RELAY_SHARD": str(k)}, tmp_path / f"shard-{k}.log")
        for k in range(2)
    ]
    launch(container)
    deliver(container, 0, 2500)
    backlog = head(container)
    writer = threading.Thread(target=deliver, args=(container, 2500, 1500, 100))
    try:
        for shard in shards:
            shard.start()
        wait_until(lambda: positions.get(keys[1]) > backlog // 4, "shard 1 is under way")
        shards[1].kill()
        assert positions.get(keys[1]) < backlog, "killed mid-stream"
        worker.start()
        writer.start()
        shards[1].start()
        writer.join()
        total = head(container)
        for key in keys:
            wait_until(lambda key=key: positions.get(key) == total, f"{key} published all")
        wait_until(
            lambda: min(container.views.positions(TOTALS).values()) == total,
            "the totals include every event",
        )
        assert [shard.stop() for shard in shards] == [0, 0], "SIGTERM stops both cleanly"
    finally:
        for shard in shards:
            shard.stop()
    servers = container.settings.kafka_bootstrap_servers
    on_kafka = {
        int(dict(r.headers)["ce_position"]) for r in read_topic(servers, topic) if r.key is not None
    }
    assert on_kafka == stored_positions(container)
    probe = LagProbe(container.ledger, container.views, [], topic, relay_shards=2)
    assert probe.of_relay() == Lag(0, 0.0)
    assert_totals_exact(container)
