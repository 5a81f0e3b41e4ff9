"""Distribution on the real stores (SQLite and PostgreSQL): exactly-once views, races."""

from __future__ import annotations

import random
import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from adapters.bootstrap import Container
from adapters.views import SqlViewStore
from domain.actors import Actor
from domain.distribution.commands import (
    DispatchKits,
    LaunchCampaign,
    RecordDelivery,
    RegisterCommittee,
)
from domain.ids import stream_id
from domain.outcomes import ItemStatus
from projections import distribution
from projections.runner import Runner
from projections.tally import Delta, Table, table_from_delta

C = "ramadan-1441"
START = datetime(2020, 4, 26, 9, 0, tzinfo=UTC)


def replay(container: Container, view: str = distribution.VIEW, scope: str = C) -> Table:
    """Fold every stored event from nothing, in memory: what an auditor would get."""
    projection = {p.name: p for p in container.runner.projections}[view]
    delta, after = Delta(), 0
    while batch := container.runner.source.read(after, 5000):
        for item in batch:
            delta = projection.fold(delta, item.event)
        after = batch[-1].position
    return table_from_delta(delta, scope)


def prepare(container: Container, admin: Actor, committees: int = 3, kits: int = 400) -> None:
    service = container.distribution
    service.launch_campaign(
        LaunchCampaign(C, "R", date(2020, 4, 25), date(2020, 5, 31), 10_000, 100, []), admin
    )
    for province in ("MA-CAS", "MA-RAB"):
        service.set_quota(C, province, 3000, admin)
    for n in range(committees):
        province = "MA-CAS" if n % 2 == 0 else "MA-RAB"
        service.register_committee(C, RegisterCommittee(f"c{n}", f"C{n}", province), admin)
        service.dispatch_kits(C, DispatchKits(f"c{n}", kits, "bl-1"), admin)


def random_history(container: Container, admin: Actor, seed: int = 7, batches: int = 8) -> None:
    rng = random.Random(seed)
    service = container.distribution
    sent: list[RecordDelivery] = []
    for b in range(batches):
        items = [
            RecordDelivery(
                f"b{b}-{i}",
                f"c{rng.randrange(3)}",
                f"H{rng.randrange(900)}",
                rng.randint(1, 9),
                START + timedelta(hours=rng.randrange(300)),
            )
            for i in range(120)
        ]
        items += rng.sample(sent, min(len(sent), 10))  # field resends
        sent += items
        outcome = service.record_deliveries(C, items, admin)
        recorded = [r.delivery_id for r in outcome.items if r.status is ItemStatus.RECORDED]
        for delivery_id in rng.sample(recorded, min(3, len(recorded))):
            service.reverse_delivery(C, delivery_id, "field correction", admin)


def test_totals_equal_a_replay_from_nothing(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    random_history(container, admin)
    container.runner.catch_up()
    live = container.views.table(distribution.VIEW, C)
    assert live == replay(container)
    assert live.value("campaign", "", "households_served") > 500


class FailingOnce(SqlViewStore):
    """Dies after writing the rows of a batch but before the commit: a crash mid-batch."""

    failed = False

    def _write(self, conn, view, delta):  # type: ignore[no-untyped-def]
        super()._write(conn, view, delta)
        if not self.failed:
            self.failed = True
            raise RuntimeError("process died here")


def test_a_crash_mid_batch_leaves_nothing_half_applied(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    random_history(container, admin, batches=3)
    more = [RecordDelivery(f"late-{i}", "c1", f"L{i}", 2, START) for i in range(50)]
    container.distribution.record_deliveries(C, more, admin)
    dying = Runner(
        container.runner.source,
        FailingOnce(container.engine),
        container.runner.projections,
        batch_size=200,
    )
    before = (container.views.positions(dying.names), container.views.dump())
    with pytest.raises(RuntimeError):
        dying.step()
    assert (container.views.positions(dying.names), container.views.dump()) == before
    dying.catch_up()
    assert container.views.table(distribution.VIEW, C) == replay(container)


def test_two_runners_racing_never_count_twice(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    random_history(container, admin, batches=4)
    runners = [
        Runner(
            container.runner.source,
            SqlViewStore(container.engine),
            container.runner.projections,
            batch_size=50,
        )
        for _ in range(2)
    ]
    threads = [threading.Thread(target=r.catch_up) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    runners[0].catch_up()
    assert container.views.table(distribution.VIEW, C) == replay(container)


def test_concurrent_batches_never_overdraw_a_committee(container: Container, admin: Actor) -> None:
    prepare(container, admin, committees=1, kits=150)
    results: list[int] = []

    def send(worker: int) -> None:
        items = [
            RecordDelivery(f"w{worker}-{i}", "c0", f"W{worker}H{i}", 3, START) for i in range(100)
        ]
        outcome = container.distribution.record_deliveries(C, items, admin)
        results.append(outcome.count(ItemStatus.RECORDED))

    threads = [threading.Thread(target=send, args=(w,)) for w in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 150
    container.runner.catch_up()
    assert (
        container.views.table(distribution.VIEW, C).value("committee", "c0", "households_served")
        == 150
    )


def test_stream_index_answers_large_batches_in_chunks(container: Container, admin: Actor) -> None:
    prepare(container, admin, committees=1, kits=1200)
    items = [RecordDelivery(f"d{i}", "c0", f"H{i}", 2, START) for i in range(1000)]
    container.distribution.record_deliveries(C, items, admin)
    from adapters.store import SqlStreamIndex

    index = SqlStreamIndex(container.ledger)
    key = container.distribution.hasher.digest
    wanted = {stream_id("household", C, key(f"H{i}")) for i in range(0, 2000, 2)}
    assert len(index.existing(wanted)) == 500


def test_live_projection_makes_a_write_visible_promptly(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    container.live.start()
    try:
        outcome = container.distribution.record_deliveries(
            C, [RecordDelivery("d1", "c0", "H1", 4, START)], admin
        )
        assert container.live.wait_for(outcome.position, timeout=5)
        table = container.views.table(distribution.VIEW, C)
        assert table.value("campaign", "", "people_reached") == 4
    finally:
        container.live.stop()
