"""The Merkle log and the events table side by side: every leaf and every stored row.

One walk serves the export, the watch and the signing check, so none of them can
skip what another sees. Leaves come in leaf order, rows in position order; a row
with no leaf is still walked, and so is a leaf index the log lost.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from adapters.audit.merkle import Leaf, MerkleLog
from adapters.audit.rows import BEFORE_EVERYTHING, StoredRow, StoredRows


@dataclass(frozen=True, slots=True)
class Entry:
    """One slot of the walk.

    leaf and row: a sealed event. leaf alone: its row is gone. leaf_index without
    leaf: that leaf is gone from the log (row: the unsealed row found in its place).
    row alone: never sealed; ``behind`` when sealed leaves follow it (an intruder).
    """

    leaf: Leaf | None
    row: StoredRow | None
    leaf_index: int | None
    behind: bool = False


def walk(merkle: MerkleLog, stored: StoredRows, after: int = 0) -> Iterator[Entry]:
    """Every leaf and every row with a position above ``after`` (0: all, even 0 and below)."""
    start = BEFORE_EVERYTHING if after <= 0 else after
    # The log's size first: every leaf below it was committed after its row, so the
    # rows read from here on hold them all, however the sealer and writers race on.
    size = merkle.size()
    rows = stored.rows(start)
    row = next(rows, None)
    expected: int | None = 0 if after <= 0 else None
    for leaf in merkle.leaves(start):
        if leaf.leaf_index >= size:
            break
        expected = leaf.leaf_index if expected is None else expected
        before: list[StoredRow] = []
        while row is not None and row.position < leaf.position:
            before.append(row)
            row = next(rows, None)
        yield from _between(range(expected, leaf.leaf_index), before)
        if row is not None and row.position == leaf.position:
            yield Entry(leaf, row, leaf.leaf_index)
            row = next(rows, None)
        else:
            yield Entry(leaf, None, leaf.leaf_index)
        expected = leaf.leaf_index + 1
    while row is not None:
        yield Entry(None, row, None)
        row = next(rows, None)


def _between(holes: range, rows: Sequence[StoredRow]) -> Iterator[Entry]:
    """Rows found between two leaves, each paired with a lost leaf index if there is one."""
    for number, row in enumerate(rows):
        index = holes[number] if number < len(holes) else None
        yield Entry(None, row, index, behind=True)
    for index in holes[len(rows) :]:
        yield Entry(None, None, index)
