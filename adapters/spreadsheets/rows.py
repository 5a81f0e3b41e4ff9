"""Rows of an import: each row's answer, and the rows that must travel together.

Some records span several rows (the lines of one gift share a donor and a
receipt). Those rows go to the service in the same chunk, and when one of them
cannot be read the others are held back, so a record is never saved in part.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from adapters.spreadsheets.kinds import FieldKind, Problem
from domain.outcomes import EventRef, ItemStatus


@dataclass(slots=True)
class ImportedRow:
    row: int
    item_id: str
    status: str = ItemStatus.REJECTED.value
    problems: list[Problem] = field(default_factory=list)
    original: dict[str, Any] | None = None
    at: EventRef | None = None  # a duplicate's original event
    command: Any = None
    cells: dict[str, str] = field(default_factory=dict, repr=False)  # may hold an ID number
    group: tuple[Any, ...] = ()  # rows of one record (lines of one gift) share it


def hold_back_groups(kind: FieldKind, rows: list[ImportedRow]) -> None:
    """Rows of one record go in together: an unreadable row holds back its siblings."""
    unreadable: dict[tuple[Any, ...], int] = {}
    for row in rows:
        if row.command is None and None not in row.group:
            unreadable.setdefault(row.group, row.row)
    together = " and ".join(kind.group_by)
    for row in rows:
        if row.command is not None and row.group in unreadable:
            row.command = None
            reason = (
                f"not recorded: row {unreadable[row.group]} has the same {together} and "
                "cannot be read; such rows are recorded together"
            )
            row.problems.append(Problem("row", None, reason))


def chunks(ready: list[ImportedRow], size: int) -> Iterator[list[ImportedRow]]:
    """Chunks of about ``size`` rows; the rows of one group (one gift) always go together."""
    groups: dict[tuple[Any, ...], list[ImportedRow]] = {}
    for row in ready:
        groups.setdefault(row.group, []).append(row)
    chunk: list[ImportedRow] = []
    for rows in groups.values():
        if chunk and len(chunk) + len(rows) > size:
            yield chunk
            chunk = []
        chunk.extend(rows)
    if chunk:
        yield chunk
