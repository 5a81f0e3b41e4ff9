"""Importing a spreadsheet: read, check every row, then record through the batch service.

A dry run decides every row against the store (committee registered, stock,
household already served...) and saves nothing. A real run records the valid
rows in chunks of 1,000, each one atomic save with the batch endpoint's answers.
All-or-nothing decides the whole file and saves it in one transaction, or nothing.
Re-importing a file answers ``duplicate`` for every row: delivery ids are the keys.
Values the whole file shares (the site of a site's own import) come as ``constants``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from adapters.spreadsheets.kinds import (
    Column,
    FieldKind,
    Problem,
    Target,
    map_header,
    parse_cells,
)
from adapters.spreadsheets.rows import ImportedRow, chunks, hold_back_groups
from adapters.spreadsheets.sheet import Record, read
from adapters.spreadsheets.values import CellError
from domain.actors import Actor
from domain.errors import NotFoundError
from domain.outcomes import BatchMode, BatchOutcome, EventRef, ItemResult, ItemStatus

CHUNK = 1000
VALID = "valid"  # would be recorded, but nothing was saved (dry run or refused file)
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ImportReport:
    kind: str
    scope: str
    mode: BatchMode
    committed: bool
    position: int
    rows: list[ImportedRow]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def originals(self) -> list[EventRef]:
        """The events the file's duplicate rows repeat."""
        return [r.at for r in self.rows if r.at is not None]


class Importer:
    def __init__(self, targets: Mapping[str, Target], chunk: int = CHUNK) -> None:
        self.targets = dict(targets)
        self.chunk = chunk

    def kinds(self) -> list[str]:
        return sorted(self.targets)

    def run(
        self,
        kind: str,
        scope: str,
        data: bytes,
        actor: Actor,
        mode: BatchMode = BatchMode.RECORD,
        progress: Progress | None = None,
        constants: Mapping[str, str] | None = None,
    ) -> ImportReport:
        target = self.targets.get(kind)
        if target is None:
            raise NotFoundError(f"no import for '{kind}'; known: {', '.join(self.kinds())}", "kind")
        shared = dict(constants or {})
        role, scope_column = target.kind.scoped_by
        if scope_column in shared:
            actor.check_scope(role, scope, shared[scope_column], scope_column)
        # An empty dry run checks the caller's role and that the campaign exists, before
        # a file whose every row is unreadable could answer without asking the service.
        target.submit(scope, [], actor, BatchMode.DRY_RUN)
        if shared and target.check_shared is not None:
            target.check_shared(scope, shared)
        rows = self._parse(target, data, shared)
        ready = [r for r in rows if r.command is not None]
        if mode is BatchMode.ALL_OR_NOTHING and len(ready) < len(rows):
            mode_used = BatchMode.DRY_RUN  # some rows cannot be read: decide the rest, save none
        else:
            mode_used = mode
        position, committed = self._submit(target, scope, ready, actor, mode_used, progress)
        return ImportReport(target.kind.name, scope, mode, committed, position, rows)

    def _parse(self, target: Target, data: bytes, shared: dict[str, str]) -> list[ImportedRow]:
        sheet = read(data)
        columns = map_header(target.kind, sheet.header, shared)
        rows = [self._row(target, record, columns, shared) for record in sheet.records]
        if target.kind.group_by:
            hold_back_groups(target.kind, rows)
        return rows

    def _row(
        self,
        target: Target,
        record: Record,
        columns: Sequence[Column | None],
        shared: dict[str, str],
    ) -> ImportedRow:
        kind = target.kind
        cells = {c.key: cell for c, cell in zip(columns, record.cells, strict=False) if c}
        row = ImportedRow(record.number, cells.get(kind.id_column, "").strip()[:64], cells=cells)
        extra = record.cells[len(columns) :]
        if any(cell.strip() for cell in extra):
            row.problems.append(Problem("row", None, "more cells than there are columns"))
        row.problems.extend(_shared_cells(kind, cells, shared))
        parsed, problems = parse_cells(kind, cells)
        row.problems.extend(problems)
        row.group = tuple(parsed.get(key) for key in kind.group_by) or (row.row,)
        if not row.problems:
            row.command = kind.build(parsed)
        return row

    def _submit(
        self,
        target: Target,
        scope: str,
        ready: list[ImportedRow],
        actor: Actor,
        mode: BatchMode,
        progress: Progress | None,
    ) -> tuple[int, bool]:
        size = self.chunk if mode is BatchMode.RECORD else max(len(ready), 1)
        position, committed, done = 0, False, 0
        for chunk in chunks(ready, size):
            outcome = target.submit(scope, [r.command for r in chunk], actor, mode)
            _answer(target, chunk, outcome)
            position = max(position, outcome.position)
            committed = committed or (outcome.committed and outcome.position > 0)
            done += len(chunk)
            if progress is not None:
                progress(done, len(ready))
        return position, committed


def _shared_cells(kind: FieldKind, cells: dict[str, str], shared: dict[str, str]) -> list[Problem]:
    """Fill the file's shared values in; a row that says otherwise is refused."""
    problems = []
    for key, value in shared.items():
        column = kind.column(key)
        typed = cells.get(key, "")
        if (
            column is not None
            and typed.strip()
            and _parsed(column, typed) != _parsed(column, value)
        ):
            reason = f"this file is imported for {key} '{value}'"
            problems.append(Problem(key, column.shown(typed), reason))
        cells[key] = value
    return problems


def _parsed(column: Column, raw: str) -> Any:
    try:
        return column.parse(raw)
    except CellError:
        return raw


def _answer(target: Target, chunk: list[ImportedRow], outcome: BatchOutcome) -> None:
    for row, result in zip(chunk, outcome.items, strict=True):
        row.status = result.status.value
        if result.status is ItemStatus.RECORDED and not outcome.committed:
            row.status = VALID
        row.original, row.at = result.original, result.at
        if result.status is ItemStatus.REJECTED:
            row.problems.append(_problem(target, row, result))


def _problem(target: Target, row: ImportedRow, result: ItemResult) -> Problem:
    """A service rejection named by column, its value shown unless it is personal."""
    name = (result.field or "").rsplit(".", 1)[-1]
    column = target.kind.column(name)
    if column is None:
        return Problem("row", None, result.reason or "rejected")
    return Problem(column.key, column.shown(row.cells.get(column.key, "")), result.reason or "")
