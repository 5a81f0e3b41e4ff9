"""Answers every application service gives: per command, and per item of a batch."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ItemStatus(StrEnum):
    RECORDED = "recorded"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One item's answer; ``item_id`` is the client's own id for it (delivery, movement...)."""

    index: int
    item_id: str
    status: ItemStatus
    reason: str | None = None
    field: str | None = None
    original: dict[str, Any] | None = None

    @property
    def delivery_id(self) -> str:
        return self.item_id


@dataclass(frozen=True, slots=True)
class Outcome:
    """Answer to a single command: whether it changed anything and where it sits in the log."""

    created: bool
    position: int


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    items: list[ItemResult]
    position: int

    def count(self, status: ItemStatus) -> int:
        return sum(1 for item in self.items if item.status is status)
