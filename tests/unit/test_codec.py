"""The fast transcoder writes the library's JSON byte for byte and reads it back the same."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import JSONTranscoder, TranscodingNotRegisteredError

from adapters.codec import FastJSONTranscoder
from domain.ledger import Ledger
from domain.outcomes import ItemStatus


def registered(transcoder: JSONTranscoder) -> JSONTranscoder:
    Ledger.register_transcodings(Ledger.__new__(Ledger), transcoder)
    return transcoder


LIBRARY, FAST = registered(JSONTranscoder()), registered(FastJSONTranscoder())
SAMPLES: list[Any] = [
    {"plain": "نص عربي", "n": 7, "yes": True, "none": None},
    {"at": datetime(2020, 4, 28, 9, 30, tzinfo=UTC), "day": date(2020, 5, 1)},
    {"casablanca": datetime(2020, 7, 15, 10, tzinfo=timezone(timedelta(hours=1)))},
    {"amount": Decimal("619480.75"), "id": UUID("12345678-1234-5678-1234-567812345678")},
    {"lines": [{"kind": "masks", "value": Decimal("1.5")}, (1, "two", [date(2020, 8, 9)])]},
    {"status": ItemStatus.RECORDED, "nested": {"deeper": {"at": date(2020, 1, 1)}}},
    {"looks_tagged": {"_type_": "not-a-type-name"}, "empty": {}, "list": []},
    {"big": 2**70, "negative": -(2**65)},  # past orjson's 64 bits: the library's path
    {1: "non-str key", "s": "x"},
]


@pytest.mark.parametrize("sample", SAMPLES, ids=range(len(SAMPLES)))
def test_the_bytes_are_the_librarys(sample: Any) -> None:
    assert FAST.encode(sample) == LIBRARY.encode(sample)


@pytest.mark.parametrize("sample", SAMPLES, ids=range(len(SAMPLES)))
def test_each_reads_what_the_other_wrote(sample: Any) -> None:
    written = LIBRARY.encode(sample)
    assert FAST.decode(written) == LIBRARY.decode(written)
    assert FAST.decode(FAST.encode(sample)) == LIBRARY.decode(written)


def test_types_come_back_as_themselves() -> None:
    back = FAST.decode(FAST.encode(SAMPLES[3] | SAMPLES[1]))
    assert type(back["amount"]) is Decimal and type(back["id"]) is UUID
    assert type(back["at"]) is datetime and type(back["day"]) is date
    assert back["at"].tzinfo is not None


def test_an_unregistered_type_is_refused_as_the_library_does() -> None:
    with pytest.raises(TranscodingNotRegisteredError):
        FAST.encode({"when": timedelta(days=1)})
    with pytest.raises(TranscodingNotRegisteredError):
        LIBRARY.encode({"when": timedelta(days=1)})


def test_an_unknown_tag_is_refused_on_reading() -> None:
    with pytest.raises(TranscodingNotRegisteredError):
        FAST.decode(b'{"x":{"_type_":"nobody","_data_":"1"}}')


def test_bytes_that_are_not_json_are_refused() -> None:
    with pytest.raises(ValueError):
        FAST.decode(b'{"x":')
    with pytest.raises(ValueError):
        FAST.decode(b'"\xff"')


def test_threads_sharing_the_transcoder_each_write_their_own_times() -> None:
    """The last datetime's tag is remembered: threads encoding at once never swap them."""
    shared = registered(FastJSONTranscoder())
    base = datetime(2020, 4, 28, 9, 30, tzinfo=UTC)

    def encode_many(offset: int) -> list[tuple[bytes, bytes]]:
        pairs = []
        for n in range(2_000):
            at = base + timedelta(seconds=offset * 10_000 + n % 7)
            state = {"timestamp": at, "delivered_at": at - timedelta(minutes=n), "n": n}
            pairs.append((shared.encode(state), LIBRARY.encode(state)))
        return pairs

    with ThreadPoolExecutor(4) as pool:
        written = [pair for pairs in pool.map(encode_many, range(4)) for pair in pairs]
    assert len(written) == 8_000
    assert all(fast == library for fast, library in written)
