"""Checkpoints in memory: the stamp each carries, and as-of from one equal to as-of from the start.

Stamps out of order (an event committed after a later-stamped one) are the case the
stamp exists for: a checkpoint may serve an instant only if none of its events is
stamped after it.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from projections.as_of import view_as_of
from projections.ports import Checkpoint, Positioned
from projections.runner import Runner
from projections.tally import Delta, Table, scopes, table_from_delta
from tests.unit.test_rebuild_and_as_of import T0, VIEWS, Served, Source, Store, history

MARGIN = timedelta(minutes=5)


class Checkpoints:
    """Copies of an in-memory view store, as the SQL checkpoint store keeps them: each
    checkpoint copies the scopes it is told changed, and a scope it did not copy is read
    from the last checkpoint before it that did."""

    def __init__(self, views: Store) -> None:
        self.views = views
        self.kept: dict[int, tuple[datetime, dict[str, dict[str, Table]]]] = {}

    def latest(self, names: Sequence[str]) -> Checkpoint | None:
        return max((Checkpoint(p, s) for p, (s, _) in self.kept.items()), default=None)

    def write(
        self,
        names: Sequence[str],
        position: int,
        stamp: datetime,
        changed: Mapping[str, frozenset[str] | None],
        since: int,
    ) -> bool:
        if any(self.views.at.get(name) != position for name in names):
            return False
        copies = {}
        for name in names:
            rows = self.views.deltas.get(name, Delta())
            every = set(scopes([*rows.counts, *rows.labels]))
            chosen = changed.get(name) if since in self.kept else None
            copies[name] = {
                scope: table_from_delta(rows, scope)
                for scope in (every if chosen is None else every & chosen)
            }
        self.kept[position] = (stamp, copies)
        return True

    def nearest(self, view: str, instant: datetime) -> Checkpoint | None:
        fit = [Checkpoint(p, s) for p, (s, _) in self.kept.items() if s <= instant]
        return max(fit, default=None)

    def table(self, view: str, position: int, scope: str) -> Table:
        for at in sorted((p for p in self.kept if p <= position), reverse=True):
            copied = self.kept[at][1][view]
            if scope in copied:
                return copied[scope]
        return Table()

    def copied(self, view: str) -> dict[int, set[str]]:
        return {p: set(views[view]) for p, (_, views) in self.kept.items()}


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


def two_seasons(count: int, chance: random.Random) -> list[Positioned]:
    """A first season's events, then a second's, with a late one of the first among them."""
    names = ["2020" if n < count // 2 or n == count - 10 else "2021" for n in range(count)]
    return [
        Positioned(n + 1, Served(name, n + 1), T0 + timedelta(minutes=n + chance.randint(-3, 3)))
        for n, name in enumerate(names)
    ]


def test_a_checkpoint_copies_only_the_scopes_changed_since_the_one_before() -> None:
    chance = random.Random(11)
    source, views = Source(two_seasons(200, chance)), Store()
    checkpoints = Checkpoints(views)
    Runner(source, views, VIEWS, 5, checkpoints, checkpoint_every=20).catch_up()
    copied = checkpoints.copied("a")
    closed = [p for p, held in copied.items() if 100 < p < 190]
    assert closed and all(copied[p] == {"2021"} for p in closed)
    assert copied[min(copied)] == {"2020"}
    assert copied[min(p for p in copied if p > 190)] == {"2020", "2021"}  # the late one
    for scope in ("2020", "2021"):
        for _ in range(40):
            instant = T0 + timedelta(minutes=chance.uniform(-5, 205))
            fast = view_as_of(source, VIEWS[0], scope, instant, MARGIN, 11, checkpoints)
            slow = view_as_of(source, VIEWS[0], scope, instant, MARGIN, 11)
            assert (fast.table, fast.position) == (slow.table, slow.position)


def test_after_another_runner_committed_the_next_checkpoint_copies_every_scope() -> None:
    chance = random.Random(12)
    source, views = Source(two_seasons(200, chance)), Store()
    checkpoints = Checkpoints(views)
    mine = Runner(source, views, VIEWS, 5, checkpoints, checkpoint_every=20)
    other = Runner(source, views, VIEWS, 5)  # it writes no checkpoint; this one must know
    mine.catch_up(until=120)
    other.catch_up(until=135)
    mine.catch_up()
    copied = checkpoints.copied("a")
    after_other = min(p for p in copied if p > 135)
    assert copied[after_other] == {"2020", "2021"}
    assert all(copied[p] == {"2021"} for p in copied if 100 < p < 190 and p != after_other)
    for _ in range(40):
        instant = T0 + timedelta(minutes=chance.uniform(-5, 205))
        for scope in ("2020", "2021"):
            fast = view_as_of(source, VIEWS[0], scope, instant, MARGIN, 11, checkpoints)
            slow = view_as_of(source, VIEWS[0], scope, instant, MARGIN, 11)
            assert (fast.table, fast.position) == (slow.table, slow.position)
