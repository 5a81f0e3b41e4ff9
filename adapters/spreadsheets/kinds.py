"""What a kind of field record looks like: its columns, their headers, how to build a command.

One ``FieldKind`` serves every way records come in from the field: spreadsheet
imports read its columns by header, KoboToolbox submissions by a form's field
mapping; both parse cells with the same parsers and build the same command.
Adding an operation's records (movements, in-kind donation lines) is one more
``FieldKind`` and the service method that takes its batches.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from adapters.spreadsheets.sheet import UnreadableInputError
from adapters.spreadsheets.values import CellError, header_key
from domain.actors import Actor, Role
from domain.outcomes import BatchMode, BatchOutcome, CorrectionOutcome, Outcome

HIDDEN = "(hidden)"


@dataclass(frozen=True, slots=True)
class Column:
    """One field of a record; ``key`` is the command's field name (and its error field)."""

    key: str
    headers: tuple[str, ...]
    parse: Callable[[str], Any]
    personal: bool = False  # never echoed: shown as "(hidden)"
    required: bool = True

    def shown(self, raw: str) -> str:
        return HIDDEN if self.personal else raw[:80]


@dataclass(frozen=True, slots=True)
class FieldKind:
    name: str
    columns: tuple[Column, ...]
    build: Callable[[Mapping[str, Any]], Any]
    id_column: str  # the client's id of an item (a delivery id); resending it counts once
    # The role a field form acts as, and the column naming its scope (a committee, a site);
    # None for roles without a scope (donations).
    scoped_by: tuple[Role, str | None]
    # Columns whose values make several rows one record (the lines of one gift): an
    # import never splits such rows between two saves.
    group_by: tuple[str, ...] = ()

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def header_index(self) -> dict[str, Column]:
        return {header_key(h): c for c in self.columns for h in (c.key, *c.headers)}


Submit = Callable[[str, Sequence[Any], Actor, BatchMode], BatchOutcome]
Correct = Callable[[str, str, Any, str, Actor], CorrectionOutcome]
Reverse = Callable[[str, str, str, Actor], Outcome]  # (scope, record id, reason, actor)


@dataclass(frozen=True, slots=True)
class Target:
    """A kind bound to the service that records it (built in the composition root)."""

    kind: FieldKind
    submit: Submit  # (scope, commands, actor, mode) -> per-item answers
    correct: Correct | None = None  # (scope, replaced id, command, reason, actor)
    check_scope: Callable[[str], object] | None = None  # raises NotFoundError if unknown
    # (scope, values the whole file shares) -> raises NotFoundError if they name nothing
    check_shared: Callable[[str, Mapping[str, str]], object] | None = None
    reverse: Reverse | None = None  # a record deleted at its source (a Kobo pull)


@dataclass(frozen=True, slots=True)
class Problem:
    column: str
    value: str | None
    reason: str


def map_header(
    kind: FieldKind, header: Sequence[str], given: Collection[str] = ()
) -> list[Column | None]:
    """Which column each position holds; every unknown, repeated or missing one is reported.

    A column in ``given`` (a value the whole file shares, such as the site of a site's
    import) may be left out of the file.
    """
    index = kind.header_index()
    found: list[Column | None] = []
    problems: list[tuple[str, str]] = []
    for text in header:
        column = index.get(header_key(text)) if text.strip() else None
        if text.strip() and column is None:
            problems.append((f"header.{text.strip()[:40]}", "unknown column; " + _expected(kind)))
        elif column is not None and column in found:
            problems.append((f"header.{column.key}", "the column appears twice"))
        found.append(column)
    for column in kind.columns:
        if column.required and column not in found and column.key not in given:
            problems.append((f"header.{column.key}", "missing column; " + _expected(kind)))
    if problems:
        raise UnreadableInputError(problems)
    return found


def _expected(kind: FieldKind) -> str:
    names = ", ".join(" / ".join((c.key, *c.headers[:3])) for c in kind.columns)
    return f"expected columns: {names}"


def parse_cells(kind: FieldKind, cells: Mapping[str, str]) -> tuple[dict[str, Any], list[Problem]]:
    """Parse every known cell; a problem per cell that cannot be read."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for column in kind.columns:
        raw = cells.get(column.key, "")
        if not raw.strip() and not column.required:
            continue
        try:
            values[column.key] = column.parse(raw)
        except CellError as error:
            problems.append(Problem(column.key, column.shown(raw), error.reason))
    return values, problems
