"""Relay shards: which partitions each owns, where it keeps its position, bad settings."""

from __future__ import annotations

import random
import uuid

import pytest
from kafka.partitioner.default import murmur2 as kafka_murmur2
from pydantic import ValidationError

from adapters.kafka.relay import Shard, murmur2, partition_of
from adapters.lag import relay_position_key, relay_position_keys
from adapters.settings import Settings


def test_shards_own_every_partition_once() -> None:
    partitions = list(range(7))
    owned = [Shard(number, 3).owned(partitions) for number in range(3)]
    assert owned == [[0, 3, 6], [1, 4], [2, 5]]
    assert Shard().owned(partitions) == partitions


def test_one_relay_keeps_the_topics_own_row_and_shards_a_row_each() -> None:
    assert Shard().position_key("tadamon.events") == "tadamon.events"
    assert relay_position_keys("t", 2) == ["t#0/2", "t#1/2"]
    assert relay_position_key("t", 1, 2) == Shard(1, 2).position_key("t")


@pytest.mark.parametrize(("number", "count"), [(2, 2), (-1, 2), (0, 0)])
def test_a_shard_outside_its_count_is_refused(number: int, count: int) -> None:
    with pytest.raises(ValueError, match="relay shard"):
        Shard(number, count)


@pytest.mark.parametrize(
    ("values", "field", "reason"),
    [
        ({"relay_shards": 2, "relay_shard": 2}, "relay_shard", "0 to relay_shards - 1 \\(1\\)"),
        ({"relay_shards": 4, "kafka_partitions": 3}, "relay_shards", "at most kafka_partitions"),
        ({"relay_shards": 0}, "relay_shards", "greater than or equal to 1"),
    ],
)
def test_settings_name_the_shard_field_and_the_reason(
    values: dict[str, int], field: str, reason: str
) -> None:
    with pytest.raises(ValidationError, match=f"(?s){field}.*{reason}"):
        Settings(database_url="sqlite:///x.db", **values)


def test_the_relays_murmur2_hashes_as_kafka_pythons_on_keys_of_every_length() -> None:
    generator = random.Random(16)
    keys = [str(uuid.UUID(int=generator.getrandbits(128))).encode() for _ in range(2000)]
    keys += [generator.randbytes(length) for length in range(0, 90) for _ in range(20)]
    for key in keys:
        assert murmur2(key) == kafka_murmur2(key) & 0xFFFFFFFF, key
    assert [partition_of(key, [0, 1, 2]) for key in keys[:50]] == [
        (kafka_murmur2(key) & 0x7FFFFFFF) % 3 for key in keys[:50]
    ]


@pytest.mark.parametrize("field", ["kafka_topic", "tree_heads_topic"])
@pytest.mark.parametrize("name", ["events#0/2", "with space", "", "t" * 191])
def test_a_topic_name_kafka_or_a_shard_key_could_not_hold_is_refused(field: str, name: str) -> None:
    with pytest.raises(ValidationError, match=f"(?s){field}.*should match pattern"):
        Settings(database_url="sqlite:///x.db", **{field: name})
    assert Settings(database_url="sqlite:///x.db", **{field: "t" * 190}) is not None
