"""Days are Africa/Casablanca days; identities are keyed hashes."""

from __future__ import annotations

import hmac
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.clock import check_aware, local_day
from domain.errors import DomainError
from domain.ids import TADAMON_NAMESPACE, IdentityHasher, stream_id
from domain.spelling import canonical_identifier


def test_local_day_follows_casablanca_summer_offset() -> None:
    # Marhaba season: Morocco is on UTC+1, so 23:30 UTC is already the next day.
    assert local_day(datetime(2020, 7, 14, 23, 30, tzinfo=UTC)).isoformat() == "2020-07-15"
    assert local_day(datetime(2020, 7, 14, 22, 30, tzinfo=UTC)).isoformat() == "2020-07-14"


def test_naive_times_are_refused() -> None:
    with pytest.raises(DomainError) as error:
        check_aware(datetime(2020, 5, 1, 10, 0), "delivered_at")
    assert error.value.field == "delivered_at"
    aware = check_aware(datetime(2020, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=1))), "x")
    assert aware.tzinfo is UTC and aware.hour == 9


def test_identity_hash_is_keyed_normalised_and_hides_the_number() -> None:
    one = IdentityHasher(b"k" * 32)
    other = IdentityHasher(b"z" * 32)
    assert one.digest("ab 123456") == one.digest("AB123456")
    assert one.digest("AB123456") != other.digest("AB123456")
    assert "123456" not in one.digest("AB123456") and "k" * 32 not in repr(one)
    with pytest.raises(ValueError):
        IdentityHasher(b"short")


@given(st.text(), st.text())
def test_identity_hash_is_hmac_sha256_of_the_spelling_each_time(first: str, second: str) -> None:
    """Keys already stored must stay findable: the keyed copy hashes as HMAC does afresh."""
    hasher = IdentityHasher(b"k" * 32)
    for number in (first, second, first):
        spelling = canonical_identifier(number).encode()
        assert hasher.digest(number) == hmac.new(b"k" * 32, spelling, "sha256").hexdigest()


@given(st.text(), st.lists(st.text(), max_size=3))
def test_stream_ids_behave_as_uuids_made_by_the_constructor(kind: str, key: list[str]) -> None:
    made, expected = stream_id(kind, *key), uuid.uuid5(TADAMON_NAMESPACE, "/".join((kind, *key)))
    assert (hash(made), str(made), made.is_safe, {made: 1}[expected]) == (
        hash(expected), str(expected), expected.is_safe, 1,
    )  # fmt: skip


def test_stream_ids_are_deterministic_per_natural_key() -> None:
    assert stream_id("household", "c", "h") == stream_id("household", "c", "h")
    assert stream_id("household", "c", "h") != stream_id("household", "c2", "h")


@given(st.text(), st.lists(st.text(), max_size=3))
def test_stream_ids_are_the_uuid5_of_the_natural_key(kind: str, key: list[str]) -> None:
    expected = uuid.uuid5(TADAMON_NAMESPACE, "/".join((kind, *key)))
    assert stream_id(kind, *key) == expected
