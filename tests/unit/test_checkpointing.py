"""Checkpoints in memory: the stamp each carries, and as-of from one equal to as-of from the start.

Stamps out of order (an event committed after a later-stamped one) are the case the
stamp exists for: a checkpoint may serve an instant only if none of its events is
stamped after it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from projections.as_of import view_as_of
from projections.ports import Checkpoint
from projections.runner import Runner
from projections.tally import Delta, Table, table_from_delta
from tests.unit.test_rebuild_and_as_of import T0, VIEWS, Source, Store, history

MARGIN = timedelta(minutes=5)


class Checkpoints:
    """Copies of an in-memory view store, as the SQL checkpoint store keeps them."""

    def __init__(self, views: Store) -> None:
        self.views = views
        self.kept: dict[int, tuple[datetime, dict[str, Delta]]] = {}

    def latest(self, names: Sequence[str]) -> Checkpoint | None:
        return max((Checkpoint(p, s) for p, (s, _) in self.kept.items()), default=None)

    def write(self, names: Sequence[str], position: int, stamp: datetime) -> bool:
        if any(self.views.at.get(name) != position for name in names):
            return False
        copies = {}
        for name in names:
            copy = Delta()
            copy.merge(self.views.deltas[name])
            copies[name] = copy
        self.kept[position] = (stamp, copies)
        return True

    def nearest(self, view: str, instant: datetime) -> Checkpoint | None:
        fit = [Checkpoint(p, s) for p, (s, _) in self.kept.items() if s <= instant]
        return max(fit, default=None)

    def table(self, view: str, position: int, scope: str) -> Table:
        return table_from_delta(self.kept[position][1][view], scope)


def test_each_checkpoint_carries_the_latest_stamp_up_to_its_position() -> None:
    minutes = [0, 5, 3, 9, 2, 11, 10, 4, 12, 13, 1, 14]  # out of commit order
    views = Store()
    checkpoints = Checkpoints(views)
    runner = Runner(Source(history(minutes)), views, VIEWS, 2, checkpoints, checkpoint_every=3)
    runner.catch_up()
    kept = {p: stamp for p, (stamp, _) in checkpoints.kept.items()}
    expected = {p: T0 + timedelta(minutes=max(minutes[:p])) for p in (4, 8, 12)}
    assert kept == expected


def test_a_restarted_runner_reads_back_the_stamps_it_did_not_see() -> None:
    minutes = [0, 30, 3, 4, 5, 6, 7, 8]
    views, source = Store(), Source(history(minutes))
    checkpoints = Checkpoints(views)
    Runner(source, views, VIEWS, 3, checkpoints, checkpoint_every=100).catch_up(until=3)
    Runner(source, views, VIEWS, 3, checkpoints, checkpoint_every=5).catch_up()
    assert {p: s for p, (s, _) in checkpoints.kept.items()} == {6: T0 + timedelta(minutes=30)}


def test_as_of_from_checkpoints_equals_as_of_from_the_start_at_random_instants() -> None:
    chance = random.Random(7)
    minutes = [n + chance.randint(-4, 4) for n in range(300)]
    source = Source(history(minutes, scope="s"))
    views = Store()
    checkpoints = Checkpoints(views)
    Runner(source, views, VIEWS, 7, checkpoints, checkpoint_every=20).catch_up()
    assert len(checkpoints.kept) >= 10
    started = set()
    for _ in range(60):
        instant = T0 + timedelta(minutes=chance.uniform(-5, 305))
        fast = view_as_of(source, VIEWS[0], "s", instant, MARGIN, 11, checkpoints)
        slow = view_as_of(source, VIEWS[0], "s", instant, MARGIN, 11)
        assert (fast.table, fast.position) == (slow.table, slow.position)
        nearest = checkpoints.nearest("a", instant)
        assert fast.checkpoint == (nearest.position if nearest else 0)
        started.add(fast.checkpoint)
    assert len(started) >= 5
