"""The streams a batch of deliveries touches, found with one query.

Each item names a household stream (its number's key) and a delivery-id stream
(``domain.distribution.delivery_key``). One ``StreamIndex`` query says which of
them exist, along with the campaign's ``keyed`` marker and the households of
numbers recorded under their old spelling (``IdentityHasher.legacy_digest``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from domain.distribution.commands import RecordDelivery
from domain.distribution.delivery_key import DeliveryKey, DeliveryKeying
from domain.distribution.household import Household
from domain.ports import DeliveryLocator, StreamIndex


@dataclass
class BatchStreams:
    keys: list[str]
    ids: list[UUID]
    existing: set[UUID]
    claimed: dict[str, UUID | None] = field(default_factory=dict)
    load: Callable[[UUID], DeliveryKey] | None = None
    slug: str = ""

    def taken(self, delivery_id: str, household: UUID) -> bool:
        """Whether ``delivery_id`` already names a delivery to another household."""
        return delivery_id in self.claimed and self.claimed[delivery_id] != household

    def superseded_by(self, delivery_id: str) -> str | None:
        """The edit that replaced ``delivery_id`` before it arrived (only then is it loaded)."""
        if self.load is None or self.claimed.get(delivery_id, UUID(int=0)) is not None:
            return None
        return self.load(DeliveryKey.create_id(self.slug, delivery_id)).superseded_by


def batch_streams(
    slug: str,
    items: Sequence[RecordDelivery],
    keys: Sequence[str],
    legacy: Mapping[int, str],
    streams: StreamIndex,
    locator: DeliveryLocator,
    load: Callable[[UUID], DeliveryKey] | None = None,
) -> BatchStreams:
    """``legacy`` holds, per item index, the key its number had under the old spelling."""
    keys = list(keys)
    ids = [Household.create_id(slug, key) for key in keys]
    claims = [DeliveryKey.create_id(slug, item.delivery_id) for item in items]
    old_ids = {i: Household.create_id(slug, key) for i, key in legacy.items()}
    keyed = DeliveryKeying.create_id(slug)
    existing = streams.existing({*ids, *claims, *old_ids.values(), keyed})
    for i, old in old_ids.items():
        if ids[i] not in existing and old in existing:
            ids[i], keys[i] = old, legacy[i]
    # A claim's owner is not loaded: the household it names knows the id itself.
    pairs = zip(items, claims, strict=True)
    claimed: dict[str, UUID | None] = {i.delivery_id: None for i, c in pairs if c in existing}
    if keyed not in existing:
        unclaimed = {item.delivery_id for item in items} - claimed.keys()
        claimed.update(locator.households_of(slug, unclaimed))
    return BatchStreams(keys, ids, existing, claimed, load, slug)
