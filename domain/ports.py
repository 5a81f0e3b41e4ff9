"""What application services need from storage, declared as protocols.

Adapters implement them for SQLite and PostgreSQL; tests may hand in simple ones.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol
from uuid import UUID


class StreamIndex(Protocol):
    def existing(self, ids: Collection[UUID]) -> set[UUID]:
        """Which of ``ids`` already have events, in one query for a whole batch."""
        ...


class DeliveryLocator(Protocol):
    def household_of(self, campaign: str, delivery_id: str) -> UUID | None:
        """The household stream a client's delivery id was recorded on, if any."""
        ...
