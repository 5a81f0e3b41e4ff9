"""Tables for partners: a header row, an HXL hashtag row, then one row per place.

HXL (the Humanitarian Exchange Language) adds a row of hashtags such as
``#adm1+code`` or ``#reached+hh`` under the headers so that OCHA's and partners'
tools read a CSV without knowing its column names. An operation's export is a
tuple of ``HxlColumn``s over the records its totals report already gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

Record = Mapping[str, Any]
_TAG = re.compile(r"#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*")


@dataclass(frozen=True, slots=True)
class HxlColumn:
    header: str
    tag: str
    value: Callable[[Record], object]

    def __post_init__(self) -> None:
        if not _TAG.fullmatch(self.tag):
            raise ValueError(f"not an HXL hashtag: {self.tag}")


def field(header: str, tag: str, key: str) -> HxlColumn:
    """A column that shows one key of each record."""
    return HxlColumn(header, tag, lambda record: record.get(key))


def cell(value: object) -> str:
    """Text for a CSV cell: integers as digits, money as exact decimals, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        raise TypeError("floats are not exact enough for totals")
    return str(value)


def table(
    columns: Sequence[HxlColumn], records: Iterable[Record], tags: bool = True
) -> list[list[str]]:
    rows = [[c.header for c in columns]]
    if tags:
        rows.append([c.tag for c in columns])
    rows.extend([cell(c.value(record)) for c in columns] for record in records)
    return rows
