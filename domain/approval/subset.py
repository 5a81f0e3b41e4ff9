"""Some items of a batch, decided by the distribution's own batch decision as a batch of
their own, their answers renumbered to their place in the batch that was sent (the gate
decides the locked items apart from the rest)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from domain.actors import Actor
from domain.distribution.commands import RecordDelivery
from domain.errors import DomainError
from domain.outcomes import BatchMode, BatchOutcome, ItemResult

# The distribution service's own batch decision: (slug, items, keys, legacy keys,
# actor, mode, sealed contacts, refused, also saved) -> outcome.
RecordBatch = Callable[
    [
        str,
        Sequence[RecordDelivery],
        list[str],
        dict[int, str],
        Actor,
        BatchMode,
        dict[int, Any],
        dict[int, DomainError],
        Sequence[Any],
    ],
    BatchOutcome,
]


class Subset:
    """Some items of a batch, decided as a batch of their own and answered at their place."""

    def __init__(
        self,
        indices: list[int],
        items: Sequence[RecordDelivery],
        keys: list[str],
        legacy: dict[int, str],
        contacts: dict[int, Any],
        refused: dict[int, DomainError] | None = None,
    ) -> None:
        self.indices = indices
        self.refused = refused or {}
        self.items = items
        self.keys = keys
        self.legacy = legacy
        self.contacts = contacts

    def run(
        self,
        record: RecordBatch,
        slug: str,
        actor: Actor,
        mode: BatchMode,
        also: Sequence[Any] = (),
    ) -> BatchOutcome:
        picked = self.indices
        outcome = record(
            slug,
            [self.items[i] for i in picked],
            [self.keys[i] for i in picked],
            {j: self.legacy[i] for j, i in enumerate(picked) if i in self.legacy},
            actor,
            mode,
            {j: self.contacts[i] for j, i in enumerate(picked) if i in self.contacts},
            {j: self.refused[i] for j, i in enumerate(picked) if i in self.refused},
            also,
        )
        return replace(outcome, items=[_moved(r, picked[r.index]) for r in outcome.items])

    def facts(self, i: int, actor: Actor) -> dict[str, Any]:
        item = self.items[i]
        return {
            "delivery_id": item.delivery_id,
            "committee": item.committee,
            "household_key": self.keys[i],
            "legacy_key": self.legacy.get(i),
            "household_size": item.household_size,
            "delivered_at": item.delivered_at.isoformat(),
            "contact": self.contacts.get(i),
            "sent_by": actor.name,
        }


def _moved(result: ItemResult, index: int) -> ItemResult:
    """A result of a sub-batch, renumbered to its place in the batch that was sent."""
    if index == result.index:  # a batch with no approved period is one subset, in order
        return result
    field = result.field
    if field is not None and field.startswith(f"items.{result.index}."):
        field = f"items.{index}." + field[len(f"items.{result.index}.") :]
    return replace(result, index=index, field=field)
