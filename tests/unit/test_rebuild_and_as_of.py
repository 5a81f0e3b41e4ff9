"""The pure rebuild loop and the as-of fold, over an in-memory source and view store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from projections.as_of import view_as_of
from projections.ports import Positioned, Projection
from projections.rebuild import RebuildRacedError, rebuild
from projections.tally import Delta, Table, table_from_delta

T0 = datetime(2020, 4, 26, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Served:
    scope: str
    people: int


def fold(delta: Delta, event: object) -> Delta:
    if isinstance(event, Served):
        delta.add(event.scope, "campaign", "", "served")
        delta.add(event.scope, "campaign", "", "people", event.people)
        delta.label(event.scope, "campaign", "", "last", str(event.people))
    return delta


VIEWS = [Projection("a", fold), Projection("b", fold)]


class Source:
    def __init__(self, events: Sequence[Positioned]) -> None:
        self.events = list(events)
        self.reads = 0

    def read(self, after: int, limit: int) -> Sequence[Positioned]:
        self.reads += 1
        return [e for e in self.events if e.position > after][:limit]

    def head(self) -> int:
        return self.events[-1].position if self.events else 0


class Store:
    def __init__(self) -> None:
        self.deltas: dict[str, Delta] = {}
        self.at: dict[str, int] = {}
        self.commits: list[dict[str, tuple[int, int]]] = []
        self.refuse = False

    def positions(self, names: Sequence[str]) -> dict[str, int]:
        return {name: self.at.get(name, 0) for name in names}

    def commit(self, changes: Mapping[str, tuple[Delta, int, int]]) -> bool:
        if self.refuse:
            return False
        self.commits.append({n: (b, a) for n, (_, b, a) in changes.items()})
        for name, (delta, _before, after) in changes.items():
            self.deltas.setdefault(name, Delta()).merge(delta)
            self.at[name] = after
        return True

    def table(self, view: str, scope: str) -> Table:
        return table_from_delta(self.deltas.get(view, Delta()), scope)


def history(stamps: Sequence[int], scope: str = "s") -> list[Positioned]:
    """Events at positions 1.. with the given minute offsets as their timestamps."""
    return [
        Positioned(i + 1, Served(scope, i + 1), T0 + timedelta(minutes=m))
        for i, m in enumerate(stamps)
    ]


def test_rebuild_stops_each_view_at_its_own_target_and_commits_per_section() -> None:
    source, store = Source(history(range(10))), Store()
    read = rebuild(source, store, VIEWS, {"a": 10, "b": 4}, batch_size=3)
    assert read == 10
    assert len(store.commits) == 4  # one commit per section of 3: 1-3, 4-6, 7-9, 10
    assert store.positions(["a", "b"]) == {"a": 10, "b": 4}
    assert store.table("a", "s").value("campaign", "", "served") == 10
    assert store.table("b", "s").value("campaign", "", "people") == 1 + 2 + 3 + 4
    assert store.commits[1] == {"a": (3, 6), "b": (3, 4)}
    assert store.commits[2] == {"a": (6, 9)}


def test_rebuild_resumes_from_the_store_and_refuses_a_raced_store() -> None:
    source, store = Source(history(range(6))), Store()
    rebuild(source, store, VIEWS, {"a": 2, "b": 2}, batch_size=2)
    rebuild(source, store, VIEWS, {"a": 6, "b": 2}, batch_size=2)
    assert store.table("a", "s").value("campaign", "", "served") == 6
    store.refuse = True
    with pytest.raises(RebuildRacedError):
        rebuild(source, store, VIEWS, {"a": 6, "b": 6}, batch_size=2)


def test_as_of_folds_by_timestamp_not_position_within_the_margin() -> None:
    # Position 3 was stamped at minute 1 but committed after the one stamped at minute 5.
    source = Source(history([0, 5, 1, 2, 30, 31, 32]))
    at = T0 + timedelta(minutes=2)
    found = view_as_of(source, VIEWS[0], "s", at, timedelta(minutes=10), batch_size=2)
    assert found.table.value("campaign", "", "served") == 3  # positions 1, 3, 4
    assert found.table.value("campaign", "", "people") == 1 + 3 + 4
    assert found.table.text("campaign", "", "last") == "4"
    assert (found.position, found.events) == (4, 3)
    assert source.reads == 3  # stopped at position 5, stamped past the margin


def test_as_of_without_margin_misses_a_late_commit_only_if_it_lies_past_the_stop() -> None:
    source = Source(history([0, 5, 1]))
    at = T0 + timedelta(minutes=2)
    strict = view_as_of(source, VIEWS[0], "s", at, timedelta(0), batch_size=10)
    assert strict.table.value("campaign", "", "served") == 1


def test_as_of_keeps_only_the_scope_asked_and_refuses_a_naive_instant() -> None:
    events = [*history([0, 1]), Positioned(3, Served("other", 9), T0)]
    found = view_as_of(Source(events), VIEWS[0], "s", T0 + timedelta(hours=1), timedelta(0))
    assert found.table.value("campaign", "", "served") == 2
    assert found.position == 3  # the other scope's event was folded, then dropped
    with pytest.raises(ValueError, match="time zone"):
        view_as_of(Source(events), VIEWS[0], "s", datetime(2020, 1, 1), timedelta(0))
