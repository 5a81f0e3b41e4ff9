"""Tables for partners: a header row, an HXL hashtag row, then one row per place.

HXL (the Humanitarian Exchange Language) adds a row of hashtags such as
``#adm1+code`` or ``#reached+hh`` under the headers so that OCHA's and partners'
tools read a CSV without knowing its column names. An operation's export is a
tuple of ``HxlColumn``s over the records its totals report already gives.

Tags use the HXL 1.1 dictionary's hashtags and core attributes; the few attributes it has
no word for are in ``NOT_CORE`` with the reason (and in the README's table), and a test
checks every export's tags against the dictionary (tests/data/hxl_dictionary/).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pycountry

Record = Mapping[str, Any]
NOT_CORE = {
    "listed_served": "households on a committee's list that were served (issue 14's lists)",
    "listed_remaining": "households on a list not yet served",
    "off_list": "kits an admin delivered outside the lists, with a reason",
    "kits": "food kits: the dictionary has no attribute for a kind of item",
    "dispatched": "kits sent to a committee, apart from those still in stock",
    "stock": "kits held by a committee, not yet delivered",
    "arrivals": "travellers entering Morocco: the dictionary has no flow attribute",
    "departures": "travellers leaving Morocco, likewise",
    "movements": "recorded passenger movements (a count of records, not of people)",
    "cases": "assistance cases opened (a case may cover several people)",
    "incoming": "gifts received, apart from what goes out",
    "outgoing": "value paid out or dispatched",
    "cash": "money given as money",
    "inkind": "goods, valued in MAD",
    "lines": "lines of goods on a gift's receipt",
    "unvalued": "lines of goods whose value is not yet known",
    "dispatches": "deliveries of goods to a recipient institution",
    "acknowledged": "dispatches the recipient has signed for",
    "recipient": "a hospital or centre receiving goods (core +impl and +funder do not fit)",
    "reporting": "the organisation publishing the figures",
}
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


def alpha_3(alpha_2: str | None) -> str | None:
    """ISO 3166-1 alpha-3, the HXL dictionary's default vocabulary for ``#country+code``."""
    found = pycountry.countries.get(alpha_2=alpha_2) if alpha_2 else None
    return str(found.alpha_3) if found else None


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
