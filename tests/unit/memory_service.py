"""The distribution service on the in-memory store, as a fixture other test modules import.

Registered under the name ``service`` (like test_distribution_service's own fixture), so
a module imports ``memory_service`` and its tests ask for ``service``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from domain.actors import Actor, Role
from domain.distribution.commands import LaunchCampaign, RegisterCommittee
from domain.distribution.service import DistributionService
from domain.ids import IdentityHasher
from domain.ledger import Ledger
from projections import delivery_index
from projections.tally import Delta

ADMIN = Actor(Role.ADMIN, "t")
WHEN = datetime(2020, 4, 26, 10, 0, tzinfo=UTC)
C = "ramadan-1441"


class RecorderStreams:
    """StreamIndex answered by the in-memory recorder itself."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def existing(self, ids: Collection[UUID]) -> set[UUID]:
        return {i for i in ids if self.ledger.recorder.select_events(i, limit=1)}


class FoldingLocator:
    """DeliveryLocator answered by folding the whole log with the real index fold."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def household_of(self, campaign: str, delivery_id: str) -> UUID | None:
        return self.households_of(campaign, [delivery_id]).get(delivery_id)

    def households_of(self, campaign: str, delivery_ids: Collection[str]) -> dict[str, UUID]:
        delta = Delta()
        for n in self.ledger.recorder.select_notifications(start=1, limit=100_000):
            delta = delivery_index.fold(delta, self.ledger.mapper.to_domain_event(n))
        labels = {d: delta.labels.get((campaign, "delivery", d, "household")) for d in delivery_ids}
        return {d: UUID(found) for d, found in labels.items() if found}


@pytest.fixture(name="service")
def memory_service() -> Iterator[DistributionService]:
    """A campaign with a quota in MA-CAS and two committees (anfa, sidi), no stock yet."""
    ledger = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    built = DistributionService(
        ledger,
        IdentityHasher(b"s" * 32),
        RecorderStreams(ledger),
        FoldingLocator(ledger),
        clock=lambda: datetime(2020, 5, 1, tzinfo=UTC),
    )
    built.launch_campaign(
        LaunchCampaign(C, "R", date(2020, 4, 25), date(2020, 5, 31), 1000, 100, []), ADMIN
    )
    built.set_quota(C, "MA-CAS", 500, ADMIN)
    for code in ("anfa", "sidi"):
        built.register_committee(C, RegisterCommittee(code, code, "MA-CAS"), ADMIN)
    yield built
    ledger.close()
