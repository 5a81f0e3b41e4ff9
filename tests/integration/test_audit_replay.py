"""Replay into a fresh store and totals as of an instant, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import text

from adapters.audit.replay import Difference
from adapters.bootstrap import Container, bootstrap
from adapters.projection_set import COMMAND_PROJECTIONS, TOTALS_PROJECTIONS, all_projections
from adapters.settings import Settings
from domain.actors import Actor
from domain.distribution.commands import RecordDelivery
from projections import distribution
from projections.rebuild import RebuildProgress
from projections.tally import Table
from tests.integration.test_distribution_store import START, C, prepare, random_history


def test_a_clean_history_replays_without_a_difference(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    random_history(container, admin, batches=4)
    seen: list[RebuildProgress] = []
    report = container.audit.replay(batch_size=97, on_progress=seen.append)
    head = container.ledger.recorder.max_notification_id()
    assert report.ok, report.differences
    assert report.positions == {p.name: head for p in all_projections()}
    assert report.events == head
    assert len(seen) == -(-head // 97)  # one progress report per section: memory per section
    assert seen[-1].position == head


def test_an_altered_live_row_is_reported_field_by_field(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    random_history(container, admin, batches=2)
    container.runner.catch_up()
    served = container.views.table(distribution.VIEW, C).value(
        "committee", "c1", "households_served"
    )
    with container.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE view_counts SET value = value + 3 WHERE view = 'distribution' "
                "AND dimension = 'committee' AND member = 'c1' AND measure = 'households_served'"
            )
        )
        conn.execute(
            text(
                "DELETE FROM view_labels WHERE view = 'distribution' AND dimension = 'committee' "
                "AND member = 'c0' AND name = 'name'"
            )
        )
    report = container.audit.replay()
    assert not report.ok
    assert report.differences == [
        Difference("distribution", C, "committee", "c1", "households_served", served + 3, served),
        Difference("distribution", C, "committee", "c0", "name", None, "C0"),
    ]
    assert report.difference_count == 2


def test_a_lagging_live_view_is_compared_where_it_stands(
    store_settings: Settings, admin: Actor
) -> None:
    """Totals fed by Kafka workers may lag: the replay stops that view at the same position."""
    kafka_fed = bootstrap(store_settings, projection_source="kafka")
    try:
        prepare(kafka_fed, admin)
        full = bootstrap(store_settings)
        full.runner.catch_up()  # the workers got this far...
        full.close()
        totals = [p.name for p in TOTALS_PROJECTIONS]
        stood = kafka_fed.views.positions(totals)
        random_history(kafka_fed, admin, batches=2)  # ...and not further
        report = kafka_fed.audit.replay()
        head = kafka_fed.ledger.recorder.max_notification_id()
        assert report.ok, report.differences
        assert report.positions == {**stood, **{p.name: head for p in COMMAND_PROJECTIONS}}
        assert stood[distribution.VIEW] < head
    finally:
        kafka_fed.close()


def _pause() -> datetime:
    """An instant strictly between two writes (event timestamps are microseconds)."""
    time.sleep(0.01)
    instant = datetime.now(UTC)
    time.sleep(0.01)
    return instant


def test_totals_as_of_several_instants(container: Container, admin: Actor) -> None:
    before_anything = _pause()
    prepare(container, admin)
    snapshots: list[tuple[datetime, Table, int]] = []
    for phase in range(3):
        items = [
            RecordDelivery(f"p{phase}-{i}", f"c{i % 3}", f"P{phase}H{i}", 1 + i % 5, START)
            for i in range(40 + 10 * phase)
        ]
        container.distribution.record_deliveries(C, items, admin)
        if phase == 1:
            container.distribution.reverse_delivery(C, "p0-3", "wrong household", admin)
        container.runner.catch_up()
        snapshots.append(
            (
                _pause(),
                container.views.table(distribution.VIEW, C),
                container.ledger.recorder.max_notification_id(),
            )
        )
    empty = container.audit.as_of(distribution.VIEW, C, before_anything)
    assert (empty.table, empty.position) == (Table(), 0)
    served = []
    for instant, live_then, position in snapshots:
        replayed = container.audit.as_of(distribution.VIEW, C, instant)
        assert replayed.table == live_then
        assert replayed.position == position
        served.append(replayed.table.value("campaign", "", "households_served"))
    assert served == [40, 40 + 50 - 1, 40 + 50 - 1 + 60]
    local = datetime.now(UTC).astimezone(
        timezone(timedelta(hours=1))
    )  # any offset means the same instant
    assert container.audit.as_of(distribution.VIEW, C, local).table == snapshots[-1][1]
