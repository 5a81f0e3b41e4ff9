"""kafka-python finds its C helpers: without them it falls back, silently, to pure Python."""

from __future__ import annotations

import crc32c
from kafka.record import default_records, util


def test_kafka_python_checks_record_batches_with_the_c_crc32c() -> None:
    # Its own CRC-32C is pure Python: the relay with it ran at 0.75-0.82 x the store's
    # write rate against 0.87-0.94 with the package (benchmarks/limits.md, "Kafka relay").
    assert util.crc32c_c is crc32c.crc32c
    batch = b"a record batch" * 100
    assert default_records.calc_crc32c(memoryview(batch)) == crc32c.crc32c(batch)
