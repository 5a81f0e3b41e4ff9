"""Where relay shards start and resume, on both stores: split, merge, rewind, fresh start."""

from __future__ import annotations

from typer.testing import CliRunner

from adapters.bootstrap import Container
from adapters.lag import RelayPositions, relay_position_key
from api.cli import app as cli
from tests.integration.test_audit_cli import cli_env

TOPIC = "tadamon.events"
SHARD_0, SHARD_1 = (relay_position_key(TOPIC, k, 2) for k in range(2))


def test_a_split_starts_each_shard_where_the_single_relay_was(container: Container) -> None:
    positions = RelayPositions(container.engine)
    positions.set(TOPIC, 100)
    assert [positions.get(SHARD_0), positions.get(SHARD_1)] == [100, 100]
    assert positions.move(SHARD_0, 100, 180), "a shard's first move makes its row"
    assert positions.get(SHARD_1) == 100, "its sibling's row is no guide"
    assert positions.move(SHARD_1, 100, 150)
    assert [positions.get(SHARD_0), positions.get(SHARD_1)] == [180, 150]


def test_fresh_shards_start_from_the_beginning_whatever_a_sibling_did(
    container: Container,
) -> None:
    positions = RelayPositions(container.engine)
    assert positions.move(SHARD_0, 0, 50)
    assert positions.get(SHARD_1) == 0


def test_a_merge_resumes_from_the_slowest_shard(container: Container) -> None:
    positions = RelayPositions(container.engine)
    positions.set(SHARD_0, 90)
    positions.set(SHARD_1, 70)
    assert positions.get(TOPIC) == 70
    assert positions.get(relay_position_key(TOPIC, 0, 3)) == 70


def test_a_rewind_moves_every_shard_ahead_of_it_and_says_the_lowest(
    container: Container,
) -> None:
    positions = RelayPositions(container.engine)
    positions.set(TOPIC, 30)
    positions.set(SHARD_0, 90)
    positions.set(SHARD_1, 70)
    positions.set("tadamon.eventsX", 500)  # another topic, its name a prefix of ours
    assert positions.rewind(TOPIC, 60) == 30
    assert [positions.get(k) for k in (TOPIC, SHARD_0, SHARD_1)] == [30, 60, 60]
    assert positions.get("tadamon.eventsX") == 500
    assert positions.rewind("nothing.here", 10) == 0
    assert positions.get("nothing.here") == 0


def test_the_cli_rewinds_every_shard_and_names_the_lowest(container: Container) -> None:
    positions = RelayPositions(container.engine)
    positions.set(SHARD_0, 90)
    positions.set(SHARD_1, 70)
    env = cli_env(container.settings) | {"TADAMON_RELAY_SHARDS": "2"}
    answer = CliRunner().invoke(cli, ["relay", "--republish-from", "80"], env=env)
    assert (answer.exit_code, answer.output) == (
        0,
        f"relay position of {TOPIC} (the lowest of its 2 shards): 70 -> 70; "
        "the relay publishes everything after it again\n",
    )
    assert [positions.get(SHARD_0), positions.get(SHARD_1)] == [80, 70]
