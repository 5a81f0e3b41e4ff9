"""Answers every application service gives: per command, and per item of a batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple
from uuid import UUID

from domain.errors import DomainError


class ItemStatus(StrEnum):
    RECORDED = "recorded"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


class BatchMode(StrEnum):
    """What a batch command does with its decisions (imports offer all three)."""

    RECORD = "record"  # save the items that pass; answer for each
    DRY_RUN = "dry_run"  # decide every item against the store, save nothing
    ALL_OR_NOTHING = "all_or_nothing"  # save only if no item is rejected

    def saves(self, results: Sequence[ItemResult]) -> bool:
        if self is BatchMode.DRY_RUN:
            return False
        if self is BatchMode.ALL_OR_NOTHING:
            return not any(r.status is ItemStatus.REJECTED for r in results)
        return True


class EventRef(NamedTuple):
    """An event already in the ledger, by its aggregate and version: what a resend repeats.

    Services name it; one adapter resolves it to the event's ledger position, so that an
    exact resend answers with its original's position rather than 0.
    """

    aggregate_id: UUID
    version: int


def event_in(aggregate: Any, version_attribute: str, key: Any = None) -> EventRef | None:
    """The event whose version an aggregate kept in ``version_attribute`` (a dict of them
    when ``key`` is given); None when it kept none."""
    version = getattr(aggregate, version_attribute, None)
    if key is not None and version is not None:
        version = version.get(key)
    return None if version is None else EventRef(aggregate.id, version)


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One item's answer; ``item_id`` is the client's own id for it (delivery, movement...)."""

    index: int
    item_id: str
    status: ItemStatus
    reason: str | None = None
    field: str | None = None
    original: dict[str, Any] | None = None
    code: str | None = None  # a stable reason code, e.g. delivery_id_reused
    at: EventRef | None = None  # a duplicate's original event

    @property
    def delivery_id(self) -> str:
        return self.item_id


def refused_item(index: int, item_id: str, error: DomainError) -> ItemResult:
    """A batch item refused for ``error``, its field named within the item."""
    field = f"items.{index}.{error.field or 'item'}"
    return ItemResult(index, item_id, ItemStatus.REJECTED, error.reason, field, code=error.code)


@dataclass(frozen=True, slots=True)
class Outcome:
    """Answer to a single command: whether it changed anything and where it sits in the log."""

    created: bool
    position: int
    original: EventRef | None = None  # unchanged: the event the command repeats
    held: str | None = None  # not recorded: held for an approved period (why, naming it)


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    items: list[ItemResult]
    position: int
    committed: bool = True  # False: a dry run, or an all-or-nothing batch that was refused

    def count(self, status: ItemStatus) -> int:
        return sum(1 for item in self.items if item.status is status)

    @property
    def originals(self) -> list[EventRef]:
        """The events the batch's duplicates repeat (their positions count as the batch's)."""
        return [item.at for item in self.items if item.at is not None]


@dataclass(frozen=True, slots=True)
class CorrectionOutcome:
    """Answer to a correction: the new item's result and whether the old one was reversed."""

    result: ItemResult
    position: int
    reversed_original: bool
