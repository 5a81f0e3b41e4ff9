"""Checkpoints on both stores: as-of from the nearest one equals as-of from the first event.

The runner writes checkpoints as it goes (small sections, a checkpoint every few
sections); the totals at random instants between the first and the last event are
then folded both ways and must be equal, table and position, and the answers that
could start from a checkpoint must say which one they started from.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from adapters.audit.checkpoint_check import view_rows
from adapters.audit.replay import Difference
from adapters.bootstrap import Container, bootstrap
from adapters.checkpoints import SqlCheckpoints
from adapters.settings import Settings
from projections import delivery_index, distribution
from projections.as_of import view_as_of
from tests.workload import CAMPAIGN, deliver, launch, reverse

MARGIN = timedelta(seconds=300)


@pytest.fixture
def checkpointed(store_settings: Settings) -> Iterator[Container]:
    built = bootstrap(
        store_settings, checkpoint_every_events=120, projection_batch_size=50, run_sealer=False
    )
    yield built
    built.close()


def stamps_of(container: Container) -> list[datetime]:
    return [item.recorded_at for item in container.audit.source.read(0, 100_000)]


def record_in_rounds(container: Container) -> None:
    launch(container)
    for round_ in range(8):
        deliver(container, 100 * round_, 100, batch=40)
        if round_ in (3, 6):
            reverse(container, range(100 * round_, 100 * round_ + 5))
        container.runner.catch_up()
        time.sleep(0.003)


def test_as_of_from_a_checkpoint_equals_as_of_from_the_start(checkpointed: Container) -> None:
    record_in_rounds(checkpointed)
    checkpoints = checkpointed.audit.checkpoints
    assert isinstance(checkpoints, SqlCheckpoints)
    written = checkpoints.positions(distribution.VIEW)
    assert len(written) >= 5
    stamps = stamps_of(checkpointed)
    first, last = min(stamps), max(stamps)
    chance = random.Random(16)
    instants = [first + (last - first) * chance.random() for _ in range(12)]
    projection = checkpointed.audit.projection(distribution.VIEW)
    source = checkpointed.audit.source
    started_from = []
    for instant in [*instants, last, first - timedelta(seconds=1)]:
        fast = view_as_of(source, projection, CAMPAIGN, instant, MARGIN, checkpoints=checkpoints)
        slow = view_as_of(source, projection, CAMPAIGN, instant, MARGIN)
        assert (fast.table, fast.position) == (slow.table, slow.position)
        nearest = checkpoints.nearest(distribution.VIEW, instant)
        assert fast.checkpoint == (nearest.position if nearest else 0)
        started_from.append(fast.checkpoint)
    assert started_from[-2] == written[-1] and started_from[-1] == 0
    assert len(set(started_from)) >= 4


def test_a_checkpoint_holds_the_view_as_it_stood_at_its_position(
    checkpointed: Container,
) -> None:
    launch(checkpointed)
    # ~146 events: a delivery and its id claimed, each committee-day's seal opened and counted
    deliver(checkpointed, 0, 56, batch=56)
    checkpointed.runner.catch_up()
    checkpoints = checkpointed.audit.checkpoints
    assert isinstance(checkpoints, SqlCheckpoints)
    position = checkpointed.views.positions([distribution.VIEW])[distribution.VIEW]
    live = view_rows(checkpointed.engine, distribution.VIEW)
    deliver(checkpointed, 200, 10, batch=10)
    checkpointed.runner.catch_up()
    assert checkpoints.positions(distribution.VIEW) == [position]
    assert checkpoints.rows(distribution.VIEW, position) == live
    stamp = max(stamps_of(checkpointed)[:position])
    latest = checkpoints.latest([distribution.VIEW])
    assert latest is not None and (latest.position, latest.stamp) == (position, stamp)
    assert stamp.tzinfo is not None and stamp.astimezone(UTC) == stamp


def test_replay_checks_every_checkpoint_against_the_rebuild(checkpointed: Container) -> None:
    launch(checkpointed)
    for round_ in range(3):
        deliver(checkpointed, 100 * round_, 100, batch=50)
        checkpointed.runner.catch_up()
    checkpoints = checkpointed.audit.checkpoints
    assert isinstance(checkpoints, SqlCheckpoints)
    clean = checkpointed.audit.replay(batch_size=70)
    assert clean.ok and clean.differences == []
    tampered = checkpoints.positions(distribution.VIEW)[1]
    kept = checkpoints.rows(distribution.VIEW, tampered)["counts"]
    key = (CAMPAIGN, "campaign", "", "households_served")
    with checkpointed.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE checkpoint_counts SET value = value + 2 WHERE view = :view "
                "AND position = :position AND dimension = 'campaign' "
                "AND measure = 'households_served'"
            ),
            {"view": distribution.VIEW, "position": tampered},
        )
    report = checkpointed.audit.replay(batch_size=70)
    where = f"{distribution.VIEW} (checkpoint at {tampered})"
    assert report.differences == [
        Difference(where, *key, kept[key] + 2, kept[key]),
    ]


def test_only_the_totals_views_are_checkpointed(checkpointed: Container) -> None:
    launch(checkpointed)
    # ~146 events: a delivery and its id claimed, each committee-day's seal opened and counted
    deliver(checkpointed, 0, 56, batch=56)
    checkpointed.runner.catch_up()
    checkpoints = checkpointed.audit.checkpoints
    assert isinstance(checkpoints, SqlCheckpoints)
    assert checkpoints.positions(delivery_index.VIEW) == []
    assert len(checkpoints.positions(distribution.VIEW)) == 1
