"""The approved figures as HXL tables, one set of columns per operation.

Each row says whether its figures are approved (``#status+approved``) and up to which
level (``#status+level``); the figures are tagged as the operation's own totals tag them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from domain.donations.amounts import mad_text
from projections.hxl import HxlColumn, field

_PLACE = (
    field("Level", "#meta+level", "level"),
    field("Unit", "#org+code", "unit"),
    field("Period", "#date", "period"),
)
_STATE = (
    HxlColumn("Approved", "#status+approved", lambda r: "yes" if r["approved"] else "no"),
    field("Approved up to", "#status+level", "approved_level"),
)
HXL_COLUMNS = (
    *_PLACE,
    field("Households served", "#reached+hh", "households_served"),
    field("People reached", "#reached+ind", "people_reached"),
    *_STATE,
)


def _mad(name: str) -> Callable[[Mapping[str, Any]], str]:
    return lambda record: mad_text(record[name])


# Each operation's columns (Marhaba's and donations' as their own totals name them).
COLUMNS = {
    "distribution": HXL_COLUMNS,
    "marhaba": (
        *_PLACE,
        field("Arrivals", "#population+ind+arrivals", "arrivals"),
        field("Departures", "#population+ind+departures", "departures"),
        field("Assistance cases opened", "#output+num+cases", "cases_opened"),
        field("People assisted", "#reached+ind", "people_assisted"),
        *_STATE,
    ),
    "donations": (
        *_PLACE,
        HxlColumn(
            "In kind received (MAD)", "#value+incoming+inkind", _mad("value_received_centimes")
        ),
        field("Dispatches", "#output+num+dispatches", "dispatches"),
        HxlColumn(
            "Value dispatched (MAD)", "#value+outgoing+inkind", _mad("value_dispatched_centimes")
        ),
        HxlColumn("Currency", "#currency+code", lambda _record: "MAD"),
        *_STATE,
    ),
}
