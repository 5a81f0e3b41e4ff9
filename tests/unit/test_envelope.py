"""The CloudEvents envelope round-trips a stored event exactly (in-memory ledger, no broker)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from adapters.kafka.envelope import (
    CONTENT_TYPE,
    WATERMARK_TYPE,
    event_record,
    read_record,
    watermark_record,
)
from domain.distribution.campaign import Campaign
from domain.ledger import Ledger


def stored_notifications() -> tuple[Ledger, list]:  # type: ignore[type-arg]
    ledger = Ledger()
    campaign = Campaign.launch(
        slug="ramadan-1441",
        name="Ramadan 1441",
        starts_on=date(2020, 4, 25),
        ends_on=date(2020, 6, 30),
        target_households=600_000,
        budget_centimes=8_500_000_000,
        kit_contents=[],
        launched_by="admin@#tests",
    )
    ledger.save(campaign)
    return ledger, list(ledger.recorder.select_notifications(start=1, limit=10))


def test_an_event_record_carries_the_binary_mode_headers_and_rebuilds_the_event() -> None:
    ledger, (notification,) = stored_notifications()
    when = datetime(2020, 4, 25, 9, 30, tzinfo=UTC)
    key, value, headers = event_record(notification, when)
    found = dict(headers)
    assert key == str(notification.originator_id).encode() == found["ce_subject"]
    assert value == notification.state
    assert found["content-type"] == CONTENT_TYPE.encode()
    assert found["ce_specversion"] == b"1.0"
    assert found["ce_type"] == b"org.tadamon.event.Campaign.Launched"
    assert found["ce_time"] == b"2020-04-25T09:30:00Z"
    assert found["ce_position"] == str(notification.id).encode()
    assert found["ce_id"] == f"{notification.originator_id}/1".encode()
    received = read_record(headers, value)
    assert received.position == notification.id
    event = ledger.mapper.to_domain_event(received.stored)  # type: ignore[arg-type]
    assert type(event).__name__ == "Launched"
    assert event.slug == "ramadan-1441"  # type: ignore[attr-defined]


def test_a_watermark_is_read_as_a_position_without_an_event() -> None:
    value, headers = watermark_record(42, 2, datetime(2020, 4, 25, tzinfo=UTC))
    assert dict(headers)["ce_type"] == WATERMARK_TYPE.encode()
    received = read_record(headers, value)
    assert (received.position, received.stored) == (42, None)


def test_records_name_the_previous_position_on_their_partition_when_the_relay_says() -> None:
    _, (notification,) = stored_notifications()
    when = datetime(2020, 4, 25, 9, 30, tzinfo=UTC)
    _, value, headers = event_record(notification, when, previous=7)
    mark, mark_headers = watermark_record(42, 2, when, previous=notification.id)
    _, bare_value, bare = event_record(notification, when)

    assert read_record(headers, value).previous == 7
    assert read_record(mark_headers, mark).previous == notification.id
    assert read_record(bare, bare_value).previous is None
