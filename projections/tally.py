"""The state every fold works on: additive counters plus last-write labels.

Counters add, so a batch's delta can be merged into stored rows with one
``value = value + delta`` upsert, and the same fold serves live views,
rebuilds, as-of replays and Kafka consumers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

CountKey = tuple[str, str, str, str]  # scope, dimension, member, measure
LabelKey = tuple[str, str, str, str]  # scope, dimension, member, name


@dataclass(frozen=True, eq=False, slots=True)
class Spread:
    """One kind of fact and where it counts: every measure in every dimension.

    Identity-hashed (``eq=False``): folds make each once, at import, and the hot loop
    hashes it with every fact.
    """

    dimensions: tuple[str, ...]
    measures: tuple[str, ...]


@dataclass(slots=True)
class Delta:
    """Changes to one view. Folds mutate and return it: copying per event would dominate."""

    _counts: dict[CountKey, int] = field(default_factory=dict)
    labels: dict[LabelKey, str] = field(default_factory=dict)
    # Facts counted in several cells at once, kept under one key until read: a delivery
    # counts two measures in five places, and one dict update beats ten in the hot loop.
    _spread: dict[tuple[Spread, str, tuple[str, ...]], list[int]] = field(default_factory=dict)

    @property
    def counts(self) -> dict[CountKey, int]:
        if self._spread:
            self._expand()
        return self._counts

    def add(self, scope: str, dimension: str, member: str, measure: str, amount: int = 1) -> None:
        key = (scope, dimension, member, measure)
        self._counts[key] = self._counts.get(key, 0) + amount

    def add_spread(
        self, spread: Spread, scope: str, members: tuple[str, ...], amounts: tuple[int, ...]
    ) -> None:
        """Count ``amounts`` (one per measure) in each dimension's member of ``members``."""
        key = (spread, scope, members)
        row = self._spread.get(key)
        if row is None:
            self._spread[key] = list(amounts)
        else:
            for index, amount in enumerate(amounts):
                row[index] += amount

    def _expand(self) -> None:
        for (spread, scope, members), amounts in self._spread.items():
            for dimension, member in zip(spread.dimensions, members, strict=True):
                for measure, amount in zip(spread.measures, amounts, strict=True):
                    self.add(scope, dimension, member, measure, amount)
        self._spread.clear()

    def label(self, scope: str, dimension: str, member: str, name: str, value: str) -> None:
        self.labels[(scope, dimension, member, name)] = value

    def merge(self, other: Delta) -> None:
        for key, amount in other.counts.items():
            self.add(*key, amount)
        self.labels.update(other.labels)

    def __len__(self) -> int:
        return len(self.counts) + len(self.labels)


@dataclass(slots=True)
class Table:
    """One scope of a view as read back: (dimension, member, measure) -> value, and labels."""

    counts: dict[tuple[str, str, str], int] = field(default_factory=dict)
    labels: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def value(self, dimension: str, member: str, measure: str) -> int:
        return self.counts.get((dimension, member, measure), 0)

    def text(self, dimension: str, member: str, name: str) -> str | None:
        return self.labels.get((dimension, member, name))

    def members(self, dimension: str) -> list[str]:
        found = {m for (d, m, _) in self.counts if d == dimension}
        found.update(m for (d, m, _) in self.labels if d == dimension)
        return sorted(found)

    def measures(self, dimension: str, member: str) -> dict[str, int]:
        return {k[2]: v for k, v in self.counts.items() if k[0] == dimension and k[1] == member}


def table_from_delta(delta: Delta, scope: str) -> Table:
    """Read a scope straight from an in-memory fold (as-of replays, rebuild checks)."""
    table = Table()
    for (s, dimension, member, measure), value in delta.counts.items():
        if s == scope and value:
            table.counts[(dimension, member, measure)] = value
    for (s, dimension, member, name), text in delta.labels.items():
        if s == scope:
            table.labels[(dimension, member, name)] = text
    return table


def scopes(keys: Iterable[tuple[str, ...]]) -> Iterator[str]:
    seen: set[str] = set()
    for key in keys:
        if key[0] not in seen:
            seen.add(key[0])
            yield key[0]
