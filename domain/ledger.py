"""The one event-sourced application: one history for every operation.

A single notification log gives auditors one total order to replay and seal in a
Merkle tree. Operations' application services wrap this object.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.domain import BaseAggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Recording, Transcoding

from domain.errors import ConflictError

Listener = Callable[[Sequence[Recording[Any]]], None]


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class Ledger(Application[Any]):
    """Event store, repository and notification log of Tadamon."""

    name = "Ledger"
    env = {"AGGREGATE_CACHE_MAXSIZE": "5000", "AGGREGATE_CACHE_FASTFORWARD": "y"}

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._listeners: list[Listener] = []

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[Any]]:
        """Save aggregates' pending events and loose events in one transaction.

        Same as the library's save(), but sorts objects by their concrete class: the
        library's runtime Protocol checks cost more than the insert on big batches.
        """
        processing: ProcessingEvent[Any] = ProcessingEvent()
        for obj in objs:
            if isinstance(obj, BaseAggregate):
                processing.events.extend(obj.collect_events())
                processing.aggregates[obj.id] = obj
            elif obj is not None:
                processing.events.append(obj)
        processing.saved_kwargs.update(kwargs)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        return recordings

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener`` after each successful save (wakes in-process runners)."""
        self._listeners.append(listener)

    def _notify(self, recordings: list[Recording[Any]]) -> None:
        for listener in self._listeners:
            listener(recordings)


def last_position(recordings: Sequence[Recording[Any]]) -> int:
    """The notification id of the last event saved, 0 when nothing was saved."""
    return max((r.notification.id for r in recordings), default=0)


T = TypeVar("T")
ATTEMPTS = 4


def retrying(command: Callable[[], T]) -> T:
    """Re-run a command that lost an optimistic-concurrency race on a stream version."""
    for _ in range(ATTEMPTS - 1):
        try:
            return command()
        except IntegrityError:
            continue
    try:
        return command()
    except IntegrityError as error:
        raise ConflictError("too many concurrent writes to the same records; retry") from error
