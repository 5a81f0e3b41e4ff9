"""Answers every application service gives: per command, and per item of a batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


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
    committed: bool = True  # False: a dry run, or an all-or-nothing batch that was refused

    def count(self, status: ItemStatus) -> int:
        return sum(1 for item in self.items if item.status is status)


@dataclass(frozen=True, slots=True)
class CorrectionOutcome:
    """Answer to a correction: the new item's result and whether the old one was reversed."""

    result: ItemResult
    position: int
    reversed_original: bool
