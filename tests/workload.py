"""A realistic mix of distribution events, and the in-memory replay every view must equal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from adapters.bootstrap import Container
from adapters.projection_set import TOTALS_PROJECTIONS
from domain.actors import Actor, Role
from domain.distribution.commands import (
    DispatchKits,
    LaunchCampaign,
    RecordDelivery,
    RegisterCommittee,
)
from projections.tally import Delta, scopes, table_from_delta

ADMIN = Actor(Role.ADMIN, "tests")
CAMPAIGN = "ramadan-1441"
COMMITTEES = (("casa-anfa", "MA-CAS"), ("rabat-agdal", "MA-RAB"), ("fes-medina", "MA-FES"))


def launch(container: Container, stock: int = 5000, campaign: str = CAMPAIGN) -> None:
    service = container.distribution
    service.launch_campaign(
        LaunchCampaign(
            slug=campaign,
            name="Ramadan 1441",
            starts_on=date(2020, 4, 25),
            ends_on=date(2020, 6, 30),
            target_households=600_000,
            budget_centimes=8_500_000_000,
        ),
        ADMIN,
    )
    for code, province in COMMITTEES:
        service.set_quota(campaign, province, stock * 2, ADMIN)
        service.register_committee(
            campaign, RegisterCommittee(code=code, name=code.title(), province=province), ADMIN
        )
        service.dispatch_kits(campaign, DispatchKits(code, stock, "bl-1"), ADMIN)


def deliver(
    container: Container, first: int, count: int, batch: int = 250, campaign: str = CAMPAIGN
) -> int:
    """Record deliveries ``first .. first+count-1`` spread over committees and days."""
    start = datetime(2020, 4, 26, 9, tzinfo=UTC)
    position = 0
    for offset in range(first, first + count, batch):
        items = [
            RecordDelivery(
                delivery_id=f"d-{n}",
                committee=COMMITTEES[n % len(COMMITTEES)][0],
                household=f"BK{n:07d}",
                household_size=1 + n % 7,
                delivered_at=start + timedelta(hours=n % 200),
            )
            for n in range(offset, min(offset + batch, first + count))
        ]
        outcome = container.distribution.record_deliveries(campaign, items, ADMIN)
        position = max(position, outcome.position)
    return position


def reverse(container: Container, numbers: range) -> None:
    for n in numbers:
        container.distribution.reverse_delivery(CAMPAIGN, f"d-{n}", "wrong household", ADMIN)


def replay(container: Container) -> dict[str, Delta]:
    """Every totals view folded in memory from the whole stored history."""
    deltas = {p.name: Delta() for p in TOTALS_PROJECTIONS}
    position = 0
    while True:
        notifications = container.ledger.recorder.select_notifications(
            start=position, limit=2000, inclusive_of_start=False
        )
        if not notifications:
            return deltas
        for notification in notifications:
            event = container.ledger.mapper.to_domain_event(notification)
            for projection in TOTALS_PROJECTIONS:
                projection.fold(deltas[projection.name], event)
        position = notifications[-1].id


def assert_totals_exact(container: Container) -> dict[str, Any]:
    """Every scope of every totals view equals the in-memory replay, field by field."""
    checked: dict[str, Any] = {}
    for view, delta in replay(container).items():
        for scope in scopes([*delta.counts, *delta.labels]):
            stored = container.views.table(view, scope)
            expected = table_from_delta(delta, scope)
            assert stored.counts == expected.counts, (view, scope)
            assert stored.labels == expected.labels, (view, scope)
            checked[f"{view}/{scope}"] = len(expected.counts)
    assert checked, "the replay produced no totals at all"
    return checked


def stored_positions(container: Container) -> set[int]:
    """Every notification id in the store (PostgreSQL may leave gaps after a rollback)."""
    found: set[int] = set()
    while batch := container.ledger.recorder.select_notifications(
        start=max(found, default=0), limit=5000, inclusive_of_start=False
    ):
        found.update(n.id for n in batch)
    return found
