"""What the audit found wrong with the store, and the refusal it causes."""

from __future__ import annotations

from dataclasses import dataclass

from adapters.audit.walk import Entry
from domain.errors import DomainError


@dataclass(frozen=True, slots=True)
class Finding:
    """One place where the store no longer matches what was sealed or signed."""

    position: int | None
    problem: str
    leaf: int | None = None

    def __str__(self) -> str:
        where = "position unknown" if self.position is None else f"position {self.position}"
        if self.leaf is not None:
            where = f"leaf {self.leaf}" if self.position is None else f"{where} (leaf {self.leaf})"
        return f"{where}: {self.problem}"


class TamperedError(DomainError):
    """The stored history was altered: the app will not prove, sign or replay over it."""

    status = 503

    def __init__(self, finding: Finding) -> None:
        super().__init__(f"the stored history was altered at {finding}", "position")
        self.finding = finding


def judge(entry: Entry, recomputed: bytes | None) -> Finding | None:
    """What is wrong with one walked entry, given its row's recomputed leaf hash."""
    leaf, row = entry.leaf, entry.row
    if leaf is not None and row is None:
        return Finding(leaf.position, "record deleted from the store", leaf.leaf_index)
    if leaf is None and entry.leaf_index is not None:
        position = None if row is None else row.position
        return Finding(position, "leaf deleted from the Merkle log", entry.leaf_index)
    assert row is not None  # noqa: S101 - walk never yields an empty entry
    if leaf is None:
        if not entry.behind:
            return None  # beyond the tail: the sealer's next round takes it
        return Finding(row.position, "stored but never sealed: written behind the app")
    if row.respelled:
        return Finding(
            row.position,
            f"originator_id stored as {row.originator_id!r}, not in its canonical spelling",
            leaf.leaf_index,
        )
    if recomputed != leaf.leaf_hash:
        return Finding(row.position, "content altered", leaf.leaf_index)
    return None
