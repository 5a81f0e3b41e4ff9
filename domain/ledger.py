"""The one event-sourced application: one history for every operation.

A single notification log gives auditors one total order to replay and seal in a
Merkle tree. Operations' application services wrap this object.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
)
from eventsourcing.domain import BaseAggregate
from eventsourcing.persistence import (
    EventStore,
    IntegrityError,
    JSONTranscoder,
    Mapper,
    Recording,
    Transcoding,
)

from domain.errors import BusyError
from domain.lean_store import LeanEventStore, LeanMapper

Listener = Callable[[Sequence[Recording[Any]]], None]
T = TypeVar("T")
WRITE_RETRY_SECONDS = 10.0
FIRST_PAUSE_SECONDS = 0.002
LONGEST_PAUSE_SECONDS = 0.1


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

    def __init__(
        self, env: dict[str, str] | None = None, write_retry_seconds: float = WRITE_RETRY_SECONDS
    ) -> None:
        super().__init__(env)
        self._listeners: list[Listener] = []
        self.write_retry_seconds = write_retry_seconds

    def construct_mapper(self) -> Mapper[Any]:
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=LeanMapper)

    def construct_event_store(self) -> EventStore[Any]:
        return LeanEventStore(mapper=self.mapper, recorder=self.recorder)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[Any]]:
        """Save aggregates' pending events and loose events in one transaction.

        Same as the library's save(), but sorts objects by their concrete class: the
        library's runtime Protocol checks cost more than the insert on big batches.
        An aggregate's pending events are taken from it only once they are stored, so
        a save that lost a race leaves every object as it was for the next attempt.
        """
        processing: ProcessingEvent[Any] = ProcessingEvent()
        aggregates = []
        for obj in objs:
            if isinstance(obj, BaseAggregate):
                processing.events.extend(obj.pending_events)
                processing.aggregates[obj.id] = obj
                aggregates.append(obj)
            elif obj is not None:
                processing.events.append(obj)
        processing.saved_kwargs.update(kwargs)
        recordings = self._record(processing)
        for aggregate in aggregates:
            aggregate.collect_events()
        self._take_snapshots(processing)
        self._notify(recordings)
        return recordings

    def get_many(self, ids: Collection[UUID]) -> dict[UUID, Any]:
        """The aggregates of these ids that exist, read together.

        A batch reads its households or list entries in one query where the recorder
        can (``select_events_of``): one query each cost more than deciding the batch.
        Each is rebuilt from all its events, as ``repository.get`` does uncached.
        """
        wanted = list(dict.fromkeys(ids))
        select = getattr(self.recorder, "select_events_of", None)
        if select is None or len(wanted) < 2:
            return self._get_each(wanted)
        found: dict[UUID, Any] = {}
        decode: Callable[[Any], Any] = self.mapper.to_domain_event
        for stored in select(wanted):
            # ``event.mutate`` as ``project_aggregate`` calls it, without its runtime
            # Protocol check per event (as costly as the decoding).
            found[stored.originator_id] = decode(stored).mutate(found.get(stored.originator_id))
        return {i: found[i] for i in wanted if i in found}

    def _get_each(self, ids: Sequence[UUID]) -> dict[UUID, Any]:
        found: dict[UUID, Any] = {}
        for aggregate_id in ids:
            try:
                found[aggregate_id] = self.repository.get(aggregate_id)
            except AggregateNotFoundError:
                continue
        return found

    def retrying(self, command: Callable[[], T]) -> T:
        """Run a command until it wins the race for the streams it writes, or time is up.

        A lost race (another writer appended to a stream this command read) is nobody's
        fault: the command decides again after a short random pause, as often as
        ``write_retry_seconds`` allows. Every attempt re-reads what it decides on, so an
        item another writer recorded meanwhile becomes ``duplicate``, never a second count.
        """
        deadline = time.monotonic() + self.write_retry_seconds
        pause = FIRST_PAUSE_SECONDS
        while True:
            try:
                return command()
            except IntegrityError as error:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise BusyError(
                        "the ledger is busy with other writes to the same records; "
                        "nothing was saved, send it again",
                        retry_after=max(1, math.ceil(self.write_retry_seconds)),
                    ) from error
            # Jitter spreads writers that collided, so they do not collide again.
            time.sleep(min(left, random.uniform(0, pause)))  # noqa: S311 - not a secret
            pause = min(pause * 2, LONGEST_PAUSE_SECONDS)

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener`` after each successful save (wakes in-process runners)."""
        self._listeners.append(listener)

    def _notify(self, recordings: list[Recording[Any]]) -> None:
        for listener in self._listeners:
            listener(recordings)


def last_position(recordings: Sequence[Recording[Any]]) -> int:
    """The notification id of the last event saved, 0 when nothing was saved."""
    return max((r.notification.id for r in recordings), default=0)
