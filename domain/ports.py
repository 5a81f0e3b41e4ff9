"""What application services need from storage, declared as protocols.

Adapters implement them for SQLite and PostgreSQL; tests may hand in simple ones.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Protocol
from uuid import UUID

from domain.outcomes import EventRef


class StreamIndex(Protocol):
    def existing(self, ids: Collection[UUID]) -> set[UUID]:
        """Which of ``ids`` already have events, in one query for a whole batch."""
        ...


class DeliveryLocator(Protocol):
    def household_of(self, campaign: str, delivery_id: str) -> UUID | None:
        """The household stream a client's delivery id was recorded on, if any."""
        ...

    def households_of(self, campaign: str, delivery_ids: Collection[str]) -> dict[str, UUID]:
        """The same for many ids at once; ids never recorded are absent."""
        ...


class ContactSealer(Protocol):
    def seal(self, items: Sequence[tuple[str, str, Mapping[str, str]]]) -> list[dict[str, str]]:
        """Encrypt each (person, record, fields) under that person's own key.

        Only ciphertext and a key reference come back: all an event may hold, so
        destroying the key erases the person from the log without touching it.
        """
        ...


class EventPositions(Protocol):
    def positions(self, refs: Collection[EventRef]) -> dict[EventRef, int]:
        """The ledger position of each stored event named; events not stored are absent."""
        ...
