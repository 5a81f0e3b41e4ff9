"""The Merkle log the app seals over its own event store (RFC 6962, via the verifier).

``merkle_leaves`` holds one leaf per stored event, in notification order: the
leaf hash of ``record_bytes`` as the row was when it was sealed. Every later
check compares the store with these hashes, and signed tree heads vouch for
the hashes themselves. Sealing only ever appends: the log is extended from the
last sealed position, and two sealers racing collide on the leaf index.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

from sqlalchemy import BigInteger, Column, Engine, LargeBinary, Table, func, insert, select
from sqlalchemy.exc import IntegrityError

from adapters.audit.verifier import (
    TreeBuilder,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    record_bytes,
)
from adapters.database import metadata

merkle_leaves = Table(
    "merkle_leaves",
    metadata,
    Column("leaf_index", BigInteger, primary_key=True, autoincrement=False),
    Column("position", BigInteger, nullable=False, unique=True),
    Column("leaf_hash", LargeBinary(32), nullable=False),
)

CHUNK = 1 << 15  # leaves per query: 1 MiB of hashes


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

    def __init__(self, engine: Engine, recorder: Any, batch_size: int = 5000) -> None:
        self.engine = engine
        self.recorder = recorder
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._tree = TreeBuilder()  # the recorded leaves so far, for roots at the head

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
                notes = self.recorder.select_notifications(
                    start=position, limit=self.batch_size, inclusive_of_start=False
                )
                if not notes:
                    return added
                rows = [
                    {"leaf_index": size + i, "position": n.id, "leaf_hash": stored_leaf_hash(n)}
                    for i, n in enumerate(notes)
                ]
                try:
                    with self.engine.begin() as conn:
                        conn.execute(insert(merkle_leaves), rows)
                except IntegrityError:
                    continue  # another sealer appended these first: start from its tail
                added += len(rows)

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
        tree = TreeBuilder()
        for chunk in self._hash_chunks(0, size):
            tree.extend(chunk)
        return tree.root()

    def inclusion(self, leaf_index: int, tree_size: int) -> list[bytes]:
        return inclusion_proof(_StoredHashes(self, tree_size), leaf_index)

    def consistency(self, first: int, second: int) -> list[bytes]:
        return consistency_proof(_StoredHashes(self, second), first, second)

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


class _StoredHashes(Sequence[bytes]):
    """The first ``size`` recorded leaf hashes as a sequence, read a chunk at a time.

    The proof builders walk contiguous ranges, so one cached chunk serves
    almost every lookup and memory stays at one chunk whatever the log's size.
    """

    def __init__(self, log: MerkleLog, size: int) -> None:
        self.log = log
        self.size = size
        self._start = -1
        self._chunk: list[bytes] = []

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> bytes: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...
    def __getitem__(self, index: int | slice) -> bytes | Sequence[bytes]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.size))]
        if not 0 <= index < self.size:
            raise IndexError(index)
        if not self._start <= index < self._start + len(self._chunk):
            self._start = index - index % CHUNK
            self._chunk = self.log._hashes(self._start, min(self.size, self._start + CHUNK))
            if index - self._start >= len(self._chunk):
                raise IndexError(f"leaf {index} is not sealed")
        return self._chunk[index - self._start]
