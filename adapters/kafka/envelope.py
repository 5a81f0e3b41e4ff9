"""CloudEvents 1.0 in the Kafka protocol binding (binary content mode).

The record's value is the event's stored state exactly as the ledger wrote it;
the ``ce_*`` headers carry the envelope. Extension attributes carry what a
consumer needs to rebuild the domain event with the ledger's mapper: the
library topic, the originator version and the event's ledger position.
Watermark records (no key, one per partition) tell consumers that every event
up to a position has been sent before them on that partition. Every record also
names the position of the record the relay sent before it on the same partition
(``previous``), so a consumer knows what it should have seen and finds a gap when
a broker lost part of its log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent

SOURCE = "/tadamon/ledger"
EVENT_TYPE_PREFIX = "org.tadamon.event."
WATERMARK_TYPE = "org.tadamon.relay.watermark"
CONTENT_TYPE = "application/json"

Headers = list[tuple[str, bytes]]


def _header_list(**attributes: str) -> Headers:
    return [("content-type", CONTENT_TYPE.encode())] + [
        (f"ce_{name}", value.encode()) for name, value in attributes.items()
    ]


_LEADING = (("content-type", CONTENT_TYPE.encode()), ("ce_specversion", b"1.0"))
_SOURCE = ("ce_source", SOURCE.encode())


@lru_cache(maxsize=1024)
def _of_topic(topic: str) -> tuple[tuple[str, bytes], tuple[str, bytes]]:
    # A topic's two headers, encoded once: a section has a few kinds of event, not thousands.
    kind = EVENT_TYPE_PREFIX + topic.rsplit(":", 1)[-1]
    return ("ce_type", kind.encode()), ("ce_eventtopic", topic.encode())


def event_record(
    notification: Notification, time: datetime, previous: int | None = None
) -> tuple[bytes, bytes, Headers]:
    """(key, value, headers) of one stored event (headers as ``_header_list`` orders them);
    ``previous`` as in the module's doc."""
    aggregate = str(notification.originator_id)
    subject = aggregate.encode()
    version = str(notification.originator_version).encode()
    kind, topic = _of_topic(notification.topic)
    headers = [
        *_LEADING,
        ("ce_id", subject + b"/" + version),
        _SOURCE,
        kind,
        ("ce_time", time.astimezone(UTC).isoformat().replace("+00:00", "Z").encode()),
        ("ce_subject", subject),
        ("ce_position", str(notification.id).encode()),
        ("ce_originatorversion", version),
        topic,
    ]
    if previous is not None:
        headers.append(("ce_previous", str(previous).encode()))
    return subject, notification.state, headers


def watermark_record(
    position: int, partition: int, now: datetime, previous: int | None = None
) -> tuple[bytes, Headers]:
    """(value, headers) of a watermark: every event up to ``position`` precedes it here."""
    headers = _header_list(
        specversion="1.0",
        id=f"watermark/{position}/{partition}",
        source=SOURCE,
        type=WATERMARK_TYPE,
        time=now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        position=str(position),
    )
    if previous is not None:
        headers.append(("ce_previous", str(previous).encode()))
    return b'{"position": %d}' % position, headers


@dataclass(frozen=True, slots=True)
class Received:
    """A record read back: an event to fold, or a watermark (``stored`` is None)."""

    position: int
    stored: StoredEvent | None
    previous: int | None = None  # None from a relay that did not say


def read_record(headers: Sequence[tuple[str, bytes]], value: bytes) -> Received:
    found = {name: raw.decode() for name, raw in headers if name.startswith("ce_")}
    position = int(found["ce_position"])
    previous = int(found["ce_previous"]) if "ce_previous" in found else None
    if found.get("ce_type") == WATERMARK_TYPE:
        return Received(position, None, previous)
    stored = StoredEvent(
        originator_id=UUID(found["ce_subject"]),
        originator_version=int(found["ce_originatorversion"]),
        topic=found["ce_eventtopic"],
        state=value,
    )
    return Received(position, stored, previous)
