"""The Merkle log the app seals over its own event store (RFC 6962, via the verifier).

``merkle_leaves`` holds one leaf per stored event, in notification order: the
leaf hash of ``record_bytes`` as the row was when it was sealed. Every later
check compares the store with these hashes, and signed tree heads vouch for
the hashes themselves. Sealing only ever appends: the log is extended from the
last sealed position, and two sealers racing collide on the leaf index.

Positions the store skipped (a PostgreSQL sequence value a rolled-back insert
used up) are kept in ``merkle_gaps`` as the sealer passes them: a row that turns
up in one later was written behind the app, and the watch says so.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Column, Engine, LargeBinary, Table, func, insert, select
from sqlalchemy.exc import IntegrityError

from adapters.audit.rows import StoredRow, StoredRows
from adapters.audit.verifier import TreeBuilder, leaf_hash, record_bytes
from adapters.database import metadata

merkle_leaves = Table(
    "merkle_leaves",
    metadata,
    Column("leaf_index", BigInteger, primary_key=True, autoincrement=False),
    Column("position", BigInteger, nullable=False, unique=True),
    Column("leaf_hash", LargeBinary(32), nullable=False),
)

merkle_gaps = Table(
    "merkle_gaps",
    metadata,
    Column("first_position", BigInteger, primary_key=True, autoincrement=False),
    Column("last_position", BigInteger, nullable=False),
)

CHUNK = 1 << 15  # leaves per query: 1 MiB of hashes
BLOCK = 1 << 10  # leaves under each cached subtree root (a power of two dividing CHUNK)


@dataclass(frozen=True, slots=True)
class Leaf:
    leaf_index: int
    position: int
    leaf_hash: bytes


def stored_leaf_hash(notification: Any) -> bytes:
    """The leaf hash of a stored event row, exactly as the verifier recomputes it."""
    return leaf_hash(
        record_bytes(
            notification.id,
            notification.originator_id,
            notification.originator_version,
            notification.topic,
            bytes(notification.state),
        )
    )


class MerkleLog:
    """Seals the notification log into leaves and answers tree queries over them."""

    def __init__(
        self, engine: Engine, recorder: Any, stored: StoredRows, batch_size: int = 5000
    ) -> None:
        self.engine = engine
        self.recorder = recorder
        self.stored = stored
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._tree = TreeBuilder()  # the recorded leaves so far, for roots at the head
        self._blocks: dict[int, bytes] = {}  # roots of full, sealed (so fixed) blocks

    def forget_cached_roots(self) -> None:
        """Read the leaves afresh: for a log whose table was rewritten from outside."""
        with self._lock:
            self._tree = TreeBuilder()
            self._blocks.clear()

    def size(self) -> int:
        with self.engine.connect() as conn:
            last = conn.execute(select(func.max(merkle_leaves.c.leaf_index))).scalar()
        return 0 if last is None else int(last) + 1

    def seal(self) -> int:
        """Append a leaf for every event stored after the last sealed one; returns how many."""
        added = 0
        with self._lock:
            while True:
                size, position = self._tail()
                rows = list(self.stored.rows(position, batch_size=self.batch_size))
                if not rows:
                    return added
                leaves = [_leaf_row(size + i, row) for i, row in enumerate(rows)]
                try:
                    with self.engine.begin() as conn:
                        conn.execute(insert(merkle_leaves), leaves)
                        gaps = _gaps(position, rows)
                        if gaps:
                            conn.execute(insert(merkle_gaps), gaps)
                except IntegrityError:
                    continue  # another sealer appended these first: start from its tail
                added += len(leaves)

    def gap_holding(self, position: int) -> tuple[int, int] | None:
        """The recorded gap (first, last) that ``position`` falls in, if any."""
        query = select(merkle_gaps).where(
            merkle_gaps.c.first_position <= position, merkle_gaps.c.last_position >= position
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else (int(row[0]), int(row[1]))

    def _tail(self) -> tuple[int, int]:
        query = (
            select(merkle_leaves.c.leaf_index, merkle_leaves.c.position)
            .order_by(merkle_leaves.c.leaf_index.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return (0, 0) if row is None else (int(row[0]) + 1, int(row[1]))

    def head(self) -> tuple[int, bytes]:
        """The size and root of the log as sealed now (incremental across calls)."""
        with self._lock:
            for chunk in self._hash_chunks(self._tree.size, None):
                self._tree.extend(chunk)
            return self._tree.size, self._tree.root()

    def leaves(self, after_position: int = 0) -> Iterator[Leaf]:
        """Every leaf whose event position is greater than ``after_position``, in order."""
        start = self._first_index_after(after_position)
        while True:
            query = (
                select(merkle_leaves)
                .where(merkle_leaves.c.leaf_index >= start)
                .order_by(merkle_leaves.c.leaf_index)
                .limit(CHUNK)
            )
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return
            for row in rows:
                yield Leaf(int(row[0]), int(row[1]), bytes(row[2]))
            start = int(rows[-1][0]) + 1

    def _first_index_after(self, position: int) -> int:
        query = select(func.min(merkle_leaves.c.leaf_index)).where(
            merkle_leaves.c.position > position
        )
        with self.engine.connect() as conn:
            found = conn.execute(query).scalar()
        return self.size() if found is None else int(found)

    def leaf_at(self, position: int) -> Leaf | None:
        query = select(merkle_leaves).where(merkle_leaves.c.position == position)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else Leaf(int(row[0]), int(row[1]), bytes(row[2]))

    def root(self, size: int) -> bytes:
        return self.range_root(0, size)

    def range_root(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) from cached block roots where it can, leaves elsewhere.

        Every subtree a proof names of BLOCK leaves or more starts on a block
        boundary, and splits only between blocks (the split is a power of two),
        so folding the block roots and the tail's root gives the same hash.
        """
        whole = start + (end - start) // BLOCK * BLOCK if start % BLOCK == 0 else start
        tree = TreeBuilder()
        for block in range(start // BLOCK, whole // BLOCK):
            tree.append(self._block_root(block))
        if whole < end:
            tail = TreeBuilder()
            tail.extend(self._hashes(whole, end))
            tree.append(tail.root())
        return tree.root()

    def _block_root(self, block: int) -> bytes:
        if block not in self._blocks:
            first = block - block % (CHUNK // BLOCK)  # fill a chunk's worth at once
            hashes = self._hashes(first * BLOCK, first * BLOCK + CHUNK)
            for offset in range(0, len(hashes) - BLOCK + 1, BLOCK):
                tree = TreeBuilder()
                tree.extend(hashes[offset : offset + BLOCK])
                self._blocks[first + offset // BLOCK] = tree.root()
        return self._blocks[block]

    def inclusion(self, leaf_index: int, tree_size: int) -> list[bytes]:
        """PATH(leaf_index, D[tree_size]) of RFC 6962 2.1.1, leaf to root."""
        siblings: list[bytes] = []
        low, high = 0, tree_size
        while high - low > 1:
            middle = low + _split(high - low)
            if leaf_index < middle:
                siblings.append(self.range_root(middle, high))
                high = middle
            else:
                siblings.append(self.range_root(low, middle))
                low = middle
        siblings.reverse()
        return siblings

    def consistency(self, first: int, second: int) -> list[bytes]:
        """PROOF(first, D[second]) of RFC 6962 2.1.2 (``known`` is the RFC's flag b)."""
        if first in (0, second):
            return []
        nodes: list[bytes] = []
        low, high, remaining, known = 0, second, first, True
        while remaining != high - low:
            split = _split(high - low)
            if remaining <= split:
                nodes.append(self.range_root(low + split, high))
                high = low + split
            else:
                nodes.append(self.range_root(low, low + split))
                low += split
                remaining -= split
                known = False
        if not known:
            nodes.append(self.range_root(low, high))
        nodes.reverse()
        return nodes

    def _hash_chunks(self, start: int, end: int | None) -> Iterator[list[bytes]]:
        while end is None or start < end:
            stop = start + CHUNK if end is None else min(end, start + CHUNK)
            chunk = self._hashes(start, stop)
            if not chunk:
                return
            yield chunk
            start += len(chunk)

    def _hashes(self, start: int, stop: int) -> list[bytes]:
        query = (
            select(merkle_leaves.c.leaf_hash)
            .where(merkle_leaves.c.leaf_index >= start, merkle_leaves.c.leaf_index < stop)
            .order_by(merkle_leaves.c.leaf_index)
        )
        with self.engine.connect() as conn:
            return [bytes(row[0]) for row in conn.execute(query)]


def _leaf_row(leaf_index: int, row: StoredRow) -> dict[str, Any]:
    hashed = row.leaf_hash()
    if hashed is None:
        raise ValueError(f"position {row.position}: not a sealable event row; refusing to seal")
    return {"leaf_index": leaf_index, "position": row.position, "leaf_hash": hashed}


def _gaps(tail: int, rows: list[StoredRow]) -> list[dict[str, int]]:
    """Positions skipped between the tail and the new rows, and between them."""
    gaps, previous = [], tail
    for row in rows:
        if row.position > previous + 1:
            gaps.append({"first_position": previous + 1, "last_position": row.position - 1})
        previous = row.position
    return gaps


def _split(size: int) -> int:
    """The largest power of two strictly smaller than ``size`` (size >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)
