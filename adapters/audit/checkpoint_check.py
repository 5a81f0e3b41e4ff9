"""Replay's check of the checkpoints: each one, as read back, equals the view rebuilt to it.

A checkpoint is read back whole (``SqlCheckpoints.rows``): the scopes it copied and the
ones it takes from an earlier checkpoint, so a copy missing, moved or altered anywhere
in that chain shows as a difference at the checkpoint that reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Engine, select

from adapters.checkpoints import SqlCheckpoints
from adapters.database import view_counts, view_labels


def view_rows(engine: Engine, view: str) -> dict[str, dict[Any, Any]]:
    """Every row of one live view, keyed as ``SqlCheckpoints.rows`` keys a checkpoint."""
    with engine.connect() as conn:
        counts = {
            tuple(r[1:5]): int(r[5])
            for r in conn.execute(select(view_counts).where(view_counts.c.view == view))
            if r[5]
        }
        labels = {
            tuple(r[1:5]): r[5]
            for r in conn.execute(select(view_labels).where(view_labels.c.view == view))
        }
    return {"counts": counts, "labels": labels}


Mismatch = tuple[str, int, tuple[str, ...], Any, Any]
"""A checkpoint field that differs from the replay: view, position, key, kept, replayed."""


def rebuild_through_checkpoints(
    rebuild_to: Callable[[dict[str, int]], int],
    fresh: Engine,
    checkpoints: SqlCheckpoints,
    targets: dict[str, int],
) -> tuple[int, list[Mismatch]]:
    """Rebuild in stages that stop at every checkpoint and compare it with the rebuilt rows.

    ``rebuild_to(stops)`` folds each view of the fresh store (``fresh``) up to its stop.
    """
    held = {
        view: {p for p in checkpoints.positions(view) if p <= target}
        for view, target in targets.items()
    }
    goal = max(targets.values(), default=0)
    read, mismatches = 0, list[Mismatch]()
    for stop in sorted(set().union(*held.values(), {goal})):
        read += rebuild_to({view: min(target, stop) for view, target in targets.items()})
        for view, positions in held.items():
            if stop in positions:
                kept, rebuilt = checkpoints.rows(view, stop), view_rows(fresh, view)
                mismatches.extend(_mismatches(view, stop, kept, rebuilt))
    return read, mismatches


def _mismatches(
    view: str, position: int, kept: dict[str, dict[Any, Any]], rebuilt: dict[str, dict[Any, Any]]
) -> Iterator[Mismatch]:
    for kind in ("counts", "labels"):
        a, b = kept[kind], rebuilt[kind]
        for key in sorted(a.keys() | b.keys()):
            if a.get(key) != b.get(key):
                yield view, position, key, a.get(key), b.get(key)
