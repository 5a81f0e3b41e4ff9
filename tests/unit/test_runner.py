"""The batched runner over an in-memory source and view store: reads, routing, races."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from projections.ports import Projection
from projections.runner import Runner
from projections.tally import Delta
from tests.unit.test_rebuild_and_as_of import VIEWS, Source, Store, fold, history


class CountingStore(Store):
    """Counts position reads, and refuses the first ``races`` commits as if raced."""

    def __init__(self, races: int = 0) -> None:
        super().__init__()
        self.reads = 0
        self.races = races

    def positions(self, names: Sequence[str]) -> dict[str, int]:
        self.reads += 1
        return super().positions(names)

    def commit(self, changes: Mapping[str, tuple[Delta, int, int]]) -> bool:
        if self.races:
            self.races -= 1
            return False
        return super().commit(changes)


def test_catch_up_reads_the_positions_once_per_batch() -> None:
    store = CountingStore()
    applied = Runner(Source(history(range(10))), store, VIEWS, batch_size=3).catch_up()
    assert applied == 10 and len(store.commits) == 4
    assert store.reads == 4 + 1  # one per batch, and the one that finds every view current


def test_each_view_folds_only_events_after_its_own_position_and_of_its_kinds() -> None:
    store = CountingStore()
    store.at = {"a": 4}
    ignoring = Projection("c", fold, handles=frozenset({int}))
    Runner(Source(history(range(6))), store, [*VIEWS, ignoring], batch_size=10).catch_up()
    assert store.table("a", "s").value("campaign", "", "people") == 5 + 6
    assert store.table("b", "s").value("campaign", "", "people") == 1 + 2 + 3 + 4 + 5 + 6
    assert store.table("c", "s").counts == {}
    assert store.positions(["a", "b", "c"]) == {"a": 6, "b": 6, "c": 6}
    assert store.commits == [{"a": (4, 6), "b": (0, 6), "c": (0, 6)}]


def test_a_raced_batch_is_read_again_and_applied_once() -> None:
    store = CountingStore(races=2)
    applied = Runner(Source(history(range(5))), store, VIEWS, batch_size=2).catch_up()
    assert applied == 5
    assert store.table("a", "s").value("campaign", "", "served") == 5
    assert store.reads == 2 + 3 + 1  # the two refused batches read the positions again


def test_a_step_stops_at_the_head() -> None:
    runner = Runner(Source(history(range(2))), CountingStore(), VIEWS, batch_size=5)
    assert runner.step().applied == 2
    progress = runner.step()
    assert (progress.applied, progress.position, progress.raced) == (0, 2, False)
