"""In-kind gifts from spreadsheet lines: rows grouped into gifts, decided in memory, one save.

Rows sharing (donor, receipt) are the lines of one gift, numbered in row order. A
gift is recorded whole or not at all: one refused line refuses its siblings, each
row saying why. Donors, appeals, stores and the gifts already stored are loaded
once per batch; a store receiving several gifts takes one event per gift, in the
same transaction. A gift dated in a store's approved month is held, row by row
(``domain.donations.month_seals``), and recorded when that month is un-approved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from copy import deepcopy
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.actors import Actor
from domain.donations.appeal import Appeal
from domain.donations.commands import InKindLine
from domain.donations.donor import Donor
from domain.donations.gift_rows import check_one_gift, duplicates, refused
from domain.donations.in_kind import InKindDonation
from domain.donations.month_seals import MonthSeals
from domain.donations.service_base import DONATIONS, LedgerService
from domain.donations.store import Store
from domain.errors import DomainError
from domain.outcomes import BatchMode, BatchOutcome, ItemResult, ItemStatus

GiftKey = tuple[str, str]  # (donor, receipt)


class GiftLineCommands(LedgerService):
    def record_in_kind_lines(
        self, items: Sequence[InKindLine], actor: Actor, mode: BatchMode = BatchMode.RECORD
    ) -> BatchOutcome:
        """Record gifts given line by line, with an answer per line (row)."""
        self.check_writer(actor)
        return self.ledger.retrying(lambda: self._record_lines(items, actor, mode))

    def _record_lines(
        self, items: Sequence[InKindLine], actor: Actor, mode: BatchMode
    ) -> BatchOutcome:
        gifts: dict[GiftKey, list[int]] = {}
        for index, item in enumerate(items):
            gifts.setdefault((item.donor, item.receipt), []).append(index)
        stored = self._existing(gifts)
        decision = GiftLinesDecision(self._maybe, self._moment, stored, actor.name)
        if self.locks is not None:
            decision.seals = MonthSeals(self.locks, DONATIONS, actor)
        results = [r for key in gifts for r in decision.decide(items, gifts[key])]
        results.sort(key=lambda r: r.index)
        if not mode.saves(results):
            return BatchOutcome(results, 0, committed=False)
        changed = decision.changed_aggregates()
        return BatchOutcome(results, self._save(*changed) if changed else 0)

    def _existing(self, gifts: dict[GiftKey, list[int]]) -> dict[UUID, Any]:
        """The batch's gifts already stored: one query for the ids, then one load each."""
        ids = {InKindDonation.create_id(*key) for key in gifts}
        found = self.streams.existing(ids) if self.streams is not None else ids
        return {i: gift for i in found if (gift := self._maybe(i)) is not None}


class GiftLinesDecision:
    def __init__(
        self,
        maybe: Callable[[UUID], Any],
        moment: Callable[[datetime, str], datetime],
        stored: dict[UUID, Any],
        recorded_by: str,
    ) -> None:
        self.maybe = maybe
        self.moment = moment
        self.stored = stored
        self.recorded_by = recorded_by
        self.loaded: dict[UUID, Any] = {}
        self.gifts: list[InKindDonation] = []
        self.stores: dict[str, Store] = {}
        self.seals: MonthSeals | None = None  # holds a gift dated in an approved month

    def decide(self, items: Sequence[InKindLine], indexes: list[int]) -> list[ItemResult]:
        first = items[indexes[0]]
        try:
            lines = [items[i] for i in indexes]
            check_one_gift(lines)
            gift = self._gift(first, lines)
            stored = self.stored.get(gift.id)
            if stored is not None:
                return duplicates(first, indexes, stored, gift)
            store = self._store(first.store)
            held = self._held(store, gift, first.receipt, indexes)
            if held is not None:
                return held
            store.receive(donation=gift.id.hex, donor=gift.donor, lines=gift.lines)
        except DomainError as error:
            return refused(first, indexes, error)
        self.gifts.append(gift)
        self.stores[store.code] = store
        return [ItemResult(i, first.receipt, ItemStatus.RECORDED) for i in indexes]

    def _held(
        self, store: Store, gift: InKindDonation, receipt: str, indexes: list[int]
    ) -> list[ItemResult] | None:
        """Held answers while the gift's store-month is approved, else None (decided on a
        copy of the store: only a gift that would be recorded is held)."""
        lock = None if self.seals is None else self.seals.lock(store.code, gift.received_at)
        if self.seals is None or lock is None:
            return None
        deepcopy(store).receive(donation=gift.id.hex, donor=gift.donor, lines=gift.lines)
        return self.seals.hold(lock, gift, receipt, indexes)

    def _gift(self, first: InKindLine, lines: list[InKindLine]) -> InKindDonation:
        donor = f"donor '{first.donor}' is not registered"
        self._load(Donor.create_id(first.donor), Donor, donor, "donor")
        if first.appeal is not None:
            appeal = f"appeal '{first.appeal}' does not exist"
            self._load(Appeal.create_id(first.appeal), Appeal, appeal, "appeal")
        return InKindDonation.record(
            donor=first.donor,
            receipt=first.receipt,
            store=first.store,
            appeal=first.appeal,
            received_at=self.moment(first.received_at, "received_at"),
            lines=[line.line for line in lines],
            recorded_by=self.recorded_by,
        )

    def _store(self, code: str) -> Store:
        if code not in self.stores:
            reason = f"store '{code}' is not open"
            store: Store = self._load(Store.create_id(code), Store, reason, "store")
            self.stores[code] = store
        return self.stores[code]

    def _load(self, aggregate_id: UUID, kind: type, reason: str, field: str) -> Any:
        """Each donor, appeal and store once per batch; a name that is not one refuses."""
        if aggregate_id not in self.loaded:
            self.loaded[aggregate_id] = self.maybe(aggregate_id)
        found = self.loaded[aggregate_id]
        if not isinstance(found, kind):
            raise DomainError(reason, field)
        return found

    def changed_aggregates(self) -> list[Any]:
        received = {gift.store for gift in self.gifts}
        stores = [s for code, s in self.stores.items() if code in received]
        sealed = [] if self.seals is None else self.seals.changed(self.gifts)
        return [*sealed, *self.gifts, *stores]
