"""The library's mapper and event store, building their records without dataclass checks.

A save of a thousand deliveries makes three thousand stored events, as many
notifications and recordings: frozen dataclasses whose ``__init__`` sets each field
through ``object.__setattr__``, which cost as much as inserting the rows. These
classes make the same objects (same class, same fields, equal to the library's) by
setting each one's state as a whole, and otherwise do what the library does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import EventStore, Mapper, Notification, Recording, StoredEvent
from eventsourcing.utils import get_topic

_new = object.__new__
_put = object.__setattr__


class LeanMapper(Mapper[Any]):
    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        """``Mapper.to_stored_event``: the same state, topic and bytes."""
        kind = type(domain_event)
        state = dict(vars(domain_event))
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        class_version = getattr(kind, "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        data = self.transcoder.encode(state)
        if self.compressor:
            data = self.compressor.compress(data)
        if self.cipher:
            data = self.cipher.encrypt(data)
        stored: StoredEvent = _new(StoredEvent)
        stored.__dict__.update(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=get_topic(kind),
            state=data,
        )
        return stored


class LeanEventStore(EventStore[Any]):
    def put(self, domain_events: Sequence[Any], **kwargs: Any) -> list[Recording[Any]]:
        """``EventStore.put``: the events stored in one insert, a recording for each."""
        stored_events = list(map(self.mapper.to_stored_event, domain_events))
        positions = self.recorder.insert_events(stored_events, **kwargs)
        if not positions:
            return []
        return [
            _recording(event, stored, position)
            for event, stored, position in zip(domain_events, stored_events, positions, strict=True)
        ]


def notification(
    position: int, originator_id: Any, version: int, topic: str, state: bytes
) -> Notification:
    """``Notification(...)`` with its state set as a whole (equal to the library's own)."""
    made: Notification = _new(Notification)
    made.__dict__.update(
        originator_id=originator_id,
        originator_version=version,
        topic=topic,
        state=state,
        id=position,
    )
    return made


def _recording(event: Any, stored: StoredEvent, position: int) -> Recording[Any]:
    recording: Recording[Any] = _new(Recording)
    _put(recording, "domain_event", event)
    at = notification(
        position, stored.originator_id, stored.originator_version, stored.topic, stored.state
    )
    _put(recording, "notification", at)
    return recording
