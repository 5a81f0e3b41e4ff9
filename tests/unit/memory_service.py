"""The distribution service on the in-memory store, as a fixture other test modules import.

Registered under the name ``service`` (like test_distribution_service's own fixture), so
a module imports ``memory_service`` and its tests ask for ``service``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from domain.distribution.commands import LaunchCampaign, RegisterCommittee
from domain.distribution.service import DistributionService
from domain.ids import IdentityHasher
from domain.ledger import Ledger
from tests.unit.test_distribution_service import ADMIN, C, FoldingLocator, RecorderStreams


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
