"""Marhaba's writes against approved days: a site's approved day takes no new figure.

A movement dated in a site's approved day is held in the approval book (answered
``held_for_approved_period``, not counted) and recorded when an admin un-approves
that day; every other movement of the batch notes itself on its day's seal, saved in
the same atomic save (see ``domain.approval.seal``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from domain.actors import Actor
from domain.approval.book import ApprovalBook
from domain.approval.errors import HeldWithOtherDetailsError
from domain.approval.locks import PeriodLocks, held_answer, hold
from domain.approval.seal import PeriodSeal
from domain.clock import local_day
from domain.marhaba.commands import RecordMovement, SiteMovement
from domain.marhaba.movement import REFERENCE_REUSED
from domain.outcomes import ItemResult, ItemStatus, refused_item


class ApprovedDays:
    """One batch's movements against the seals of their sites' days."""

    def __init__(self, locks: PeriodLocks, slug: str, actor: Actor) -> None:
        self.locks = locks
        self.slug = slug
        self.actor = actor
        self.seals: dict[tuple[str, date], PeriodSeal] = {}
        self.counts: dict[tuple[str, date], list[int]] = {}  # [recorded, held]
        self.book: ApprovalBook | None = None

    def sort(self, items: Sequence[SiteMovement], results: list[ItemResult]) -> list[ItemResult]:
        """Each recorded movement's answer, held instead where its day is approved."""
        return [self._sorted(items[r.index], r) for r in results]

    def _sorted(self, item: SiteMovement, result: ItemResult) -> ItemResult:
        if result.status is not ItemStatus.RECORDED:
            return result
        key = (item.site, local_day(item.movement.moved_at))
        if key not in self.seals:
            self.seals[key] = self.locks.seal(self.slug, *key)
            self.counts[key] = [0, 0]
        lock = self.seals[key].approval
        if lock is None:
            self.counts[key][0] += 1
            return result
        if self.book is None:
            self.book = self.locks.book_to_hold(self.slug, self.actor)
        fact = fact_id(item.site, item.movement.reference)
        try:
            if hold(self.book, lock, fact, self._facts(item), "reference", REFERENCE_REUSED):
                self.counts[key][1] += 1  # not when sent again while held: held once
        except HeldWithOtherDetailsError as error:
            return refused_item(result.index, result.item_id, error)
        field = f"items.{result.index}.moved_at"
        return held_answer(result.index, result.item_id, lock, field)

    def _facts(self, item: SiteMovement) -> dict[str, Any]:
        movement = item.movement
        return {
            "site": item.site,
            "reference": movement.reference,
            "direction": movement.direction,
            "mode": movement.mode,
            "travellers": movement.travellers,
            "moved_at": movement.moved_at.isoformat(),
            "sent_by": self.actor.name,
        }

    def changed(self) -> list[Any]:
        """The seals that contend with approvals of these days, and the book's holds."""
        written = [key for key, counts in self.counts.items() if any(counts)]
        for key in written:
            recorded, held = self.counts[key]
            self.seals[key].count(recorded, held, self.actor.name)
        book = self.book if self.book is not None and self.book.pending_events else None
        return [*(self.seals[key] for key in written), book]


def fact_id(site: str, reference: str) -> str:
    return f"{site}/{reference}"


def held_movements(held: list[dict[str, Any]]) -> list[SiteMovement]:
    """The movements held for a day no longer approved, as they were sent."""
    return [
        SiteMovement(
            f["site"],
            RecordMovement(
                reference=f["reference"],
                direction=f["direction"],
                mode=f["mode"],
                travellers=f["travellers"],
                moved_at=datetime.fromisoformat(f["moved_at"]),
            ),
        )
        for f in (h["facts"] for h in held)
    ]
