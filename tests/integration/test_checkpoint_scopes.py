"""Checkpoints that copy only what changed, on both stores.

A campaign that has ended is copied by the checkpoints while it changes, then read
from its last copy: as-of at random instants still equals as-of from the first
event for every campaign, replay still checks every checkpoint whole, a database
whose checkpoints were written whole (schema 1) lists them on upgrade, and an
altered list of copies is named by replay.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import text

from adapters.bootstrap import Container, bootstrap
from adapters.checkpoints import SqlCheckpoints
from adapters.database import SCHEMA_VERSION
from adapters.settings import Settings
from projections import distribution
from projections.as_of import view_as_of
from projections.runner import Runner
from tests.workload import CAMPAIGN, deliver, launch

LATER = "ramadan-1442"
MARGIN = timedelta(seconds=300)
CHECKPOINT_EVERY = 120


# The first campaign's last copy, copied again at every later checkpoint.
WHOLE = (
    "INSERT INTO {table} "
    "SELECT c.view, k.position, c.scope, c.dimension, c.member, c.{key}, c.value "
    "FROM {table} c JOIN view_checkpoints k ON k.view = c.view "
    "WHERE c.scope = :first AND c.position = (SELECT max(position) "
    "FROM {table} WHERE scope = :first AND view = c.view) AND k.position > c.position"
)


def open_store(settings: Settings) -> Container:
    return bootstrap(
        settings,
        checkpoint_every_events=CHECKPOINT_EVERY,
        projection_batch_size=50,
        run_sealer=False,
    )


@pytest.fixture
def two_seasons(store_settings: Settings) -> Iterator[Container]:
    """A first campaign delivered in rounds, then a second one after it has ended."""
    built = open_store(store_settings)
    for campaign in (CAMPAIGN, LATER):
        launch(built, campaign=campaign)
        for round_ in range(4):
            deliver(built, 100 * round_, 100, batch=40, campaign=campaign)
            built.runner.catch_up()
            time.sleep(0.003)
    yield built
    built.close()


def copies(container: Container) -> dict[str, list[int]]:
    """The positions at which each campaign's scope was copied, in order."""
    with container.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT scope, position FROM checkpoint_scopes WHERE view = :v ORDER BY 2"),
            {"v": distribution.VIEW},
        ).all()
    found: dict[str, list[int]] = {}
    for scope, position in rows:
        found.setdefault(scope, []).append(int(position))
    return found


def checkpoints_of(container: Container) -> SqlCheckpoints:
    checkpoints = container.audit.checkpoints
    assert isinstance(checkpoints, SqlCheckpoints)
    return checkpoints


def assert_as_of_agrees(container: Container, seed: int) -> set[int]:
    """As-of from the nearest checkpoint equals as-of from the first event, both campaigns."""
    source, checkpoints = container.audit.source, checkpoints_of(container)
    stamps = [item.recorded_at for item in source.read(0, 100_000)]
    first, last = min(stamps), max(stamps)
    chance = random.Random(seed)
    projection = container.audit.projection(distribution.VIEW)
    started = set()
    for instant in [first + (last - first) * chance.random() for _ in range(10)] + [last]:
        for campaign in (CAMPAIGN, LATER):
            fast = view_as_of(
                source, projection, campaign, instant, MARGIN, checkpoints=checkpoints
            )
            slow = view_as_of(source, projection, campaign, instant, MARGIN)
            assert (fast.table, fast.position) == (slow.table, slow.position), (campaign, instant)
            started.add(fast.checkpoint)
    return started


def test_an_ended_campaign_is_copied_no_more_and_as_of_still_agrees(
    two_seasons: Container,
) -> None:
    written = checkpoints_of(two_seasons).positions(distribution.VIEW)
    found = copies(two_seasons)
    later_began = min(found[LATER])
    assert len(written) >= 8 and later_began > written[0]
    # the first campaign is copied while it changes, then once at most as it ends
    assert [p for p in found[CAMPAIGN] if p > later_began] == []
    assert [p for p in written if p >= later_began] == found[LATER]
    started = assert_as_of_agrees(two_seasons, seed=23)
    assert len(started) >= 4
    report = two_seasons.audit.replay(batch_size=70)
    assert report.ok and report.differences == []


def test_a_database_with_whole_checkpoints_lists_them_when_upgraded(
    two_seasons: Container, store_settings: Settings
) -> None:
    with two_seasons.engine.begin() as conn:
        copied = conn.execute(text("SELECT count(*) FROM checkpoint_counts")).scalar()
        conn.execute(text("DELETE FROM checkpoint_scopes"))
        conn.execute(text("UPDATE tadamon_schema SET version = 1 WHERE component = 'tadamon'"))
        # what schema 1 wrote: every scope at every checkpoint
        for table, key in (("checkpoint_counts", "measure"), ("checkpoint_labels", "name")):
            conn.execute(text(WHOLE.format(table=table, key=key)), {"first": CAMPAIGN})
    two_seasons.close()
    upgraded = open_store(store_settings)
    try:
        with upgraded.engine.connect() as conn:
            version = conn.execute(text("SELECT version FROM tadamon_schema")).scalar()
            grown = conn.execute(text("SELECT count(*) FROM checkpoint_counts")).scalar()
        assert version == SCHEMA_VERSION == 2 and grown > copied
        found = copies(upgraded)
        assert found[CAMPAIGN] == checkpoints_of(upgraded).positions(distribution.VIEW)
        assert_as_of_agrees(upgraded, seed=29)
        report = upgraded.audit.replay(batch_size=70)
        assert report.ok and report.differences == []
    finally:
        upgraded.close()


def test_replay_names_a_checkpoint_read_from_a_copy_that_is_not_its_own(
    two_seasons: Container,
) -> None:
    found = copies(two_seasons)
    dropped = found[CAMPAIGN][-1]  # the scope is now read from the copy before it
    with two_seasons.engine.begin() as conn:
        conn.execute(
            text("DELETE FROM checkpoint_scopes WHERE scope = :s AND position = :p"),
            {"s": CAMPAIGN, "p": dropped},
        )
    report = two_seasons.audit.replay(batch_size=70)
    assert not report.ok
    named = {d.view for d in report.differences}
    assert f"{distribution.VIEW} (checkpoint at {dropped})" in named
    # every later checkpoint reads the same stale copy, and says so
    later = [p for p in checkpoints_of(two_seasons).positions(distribution.VIEW) if p > dropped]
    assert {f"{distribution.VIEW} (checkpoint at {p})" for p in later} <= named


def test_after_a_refold_to_the_same_position_the_next_checkpoint_is_copied_whole(
    two_seasons: Container,
) -> None:
    runner = two_seasons.runner
    reached = two_seasons.views.positions(runner.names)
    two_seasons.views.reset(runner.names)  # `tadamon refold`: rows and checkpoints dropped
    # another process folds them again, to where this runner left them
    Runner(two_seasons.audit.source, two_seasons.views, runner.projections, 50).catch_up(
        until=max(reached.values())
    )
    assert two_seasons.views.positions(runner.names) == reached
    deliver(two_seasons, 400, CHECKPOINT_EVERY, batch=40, campaign=LATER)
    runner.catch_up()
    written = checkpoints_of(two_seasons).positions(distribution.VIEW)
    assert written and copies(two_seasons)[CAMPAIGN] == written[:1]
    assert_as_of_agrees(two_seasons, seed=31)


def test_after_a_refold_the_running_runner_checkpoints_the_history_again(
    two_seasons: Container,
) -> None:
    runner, checkpoints = two_seasons.runner, checkpoints_of(two_seasons)
    before = checkpoints.positions(distribution.VIEW)
    two_seasons.views.reset(runner.names)  # `tadamon refold` beside a running server
    runner.catch_up()  # whose runner folds them again from the first event
    after = checkpoints.positions(distribution.VIEW)
    assert len(after) >= len(before) - 1 and after[0] < before[-1]
    assert copies(two_seasons)[CAMPAIGN][0] == after[0]  # the first copy is whole
    assert len(assert_as_of_agrees(two_seasons, seed=37)) >= 4
