"""Deciding a batch of movements in memory, before one atomic save.

The operation, each site and the movements already stored are loaded once per
batch; each item is then decided in order, so a movement repeated inside the
batch counts once as well.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from uuid import UUID

from domain.clock import check_past
from domain.errors import DomainError
from domain.marhaba.commands import RecordMovement, SiteMovement
from domain.marhaba.movement import MAX_TRAVELLERS, REFERENCE_REUSED, Movement
from domain.marhaba.operation import Operation
from domain.marhaba.site import Site
from domain.marhaba.vocabulary import Direction, Mode, check_count, choose
from domain.outcomes import EventRef, ItemResult, ItemStatus, refused_item


class MovementBatch:
    def __init__(
        self,
        operation: Operation,
        site: Site,
        known: Mapping[UUID, Movement],
        now: datetime,
        recorded_by: str,
    ) -> None:
        self.operation = operation
        self.site = site
        self.known = known
        self.now = now
        self.recorded_by = recorded_by
        self.pending: dict[UUID, Movement] = {}

    def decide(self, index: int, item: RecordMovement, mid: UUID) -> ItemResult:
        try:
            return self._decide(index, item, mid)
        except DomainError as error:
            return refused_item(index, item.reference, error)

    def _decide(self, index: int, item: RecordMovement, mid: UUID) -> ItemResult:
        original = self.pending.get(mid) or self.known.get(mid)
        direction = choose(Direction, item.direction, "direction")
        mode = choose(Mode, item.mode, "mode")
        if original is not None:
            if not original.same_record(
                direction.value, mode.value, item.travellers, item.moved_at
            ):
                raise DomainError(
                    "this reference was already used for a movement with other details "
                    "(direction, mode, travellers or time)",
                    "reference",
                    REFERENCE_REUSED,
                )
            return ItemResult(
                index,
                item.reference,
                ItemStatus.DUPLICATE,
                "already recorded",
                None,
                original.summary(),
                at=None if mid in self.pending else EventRef(original.id, 1),
            )
        check_count(item.travellers, "travellers", MAX_TRAVELLERS)
        moment = self._check_time(item.moved_at)
        self.pending[mid] = Movement(
            operation=self.operation.slug,
            site=self.site.code,
            reference=item.reference,
            direction=direction.value,
            mode=mode.value,
            travellers=item.travellers,
            moved_at=moment,
            recorded_by=self.recorded_by,
        )
        return ItemResult(index, item.reference, ItemStatus.RECORDED)

    def _check_time(self, moved_at: datetime) -> datetime:
        moment = check_past(moved_at, self.now, "moved_at")
        self.operation.check_open()
        self.operation.check_moment(moment, "moved_at")
        self.site.check_recording(moment, "moved_at")
        return moment

    def changed_aggregates(self) -> list[Movement]:
        return list(self.pending.values())


class SiteMovements:
    """One ``MovementBatch`` per site the items name; an item at an unknown site is refused."""

    def __init__(
        self,
        operation: Operation,
        known: Mapping[UUID, Movement],
        now: datetime,
        recorded_by: str,
        site_of: Callable[[str], Site | None],
    ) -> None:
        self.operation = operation
        self.known = known
        self.now = now
        self.recorded_by = recorded_by
        self.site_of = site_of
        self.batches: dict[str, MovementBatch | None] = {}

    def decide(self, index: int, item: SiteMovement, mid: UUID) -> ItemResult:
        batch = self._batch(item.site)
        if batch is None:
            reason = f"site '{item.site}' is not registered in operation '{self.operation.slug}'"
            return ItemResult(
                index, item.movement.reference, ItemStatus.REJECTED, reason, f"items.{index}.site"
            )
        return batch.decide(index, item.movement, mid)

    def _batch(self, code: str) -> MovementBatch | None:
        if code not in self.batches:
            site = self.site_of(code)
            self.batches[code] = (
                None
                if site is None
                else MovementBatch(self.operation, site, self.known, self.now, self.recorded_by)
            )
        return self.batches[code]

    def changed_aggregates(self) -> list[Movement]:
        return [m for batch in self.batches.values() if batch for m in batch.changed_aggregates()]
