"""The latest events, as the dashboard's activity feed shows them: no personal data.

Only whitelisted attributes leave this module: codes of campaigns, committees,
sites and places, and counts. Household keys, names, reasons (free text that
may hold a number someone typed) and actors never do, whatever the operation.
"""

from __future__ import annotations

from typing import Any

from projections.ports import EventSource, Positioned

SHOWN = (
    "campaign",
    "operation",
    "site",
    "committee",
    "province",
    "region",
    "quantity",
    "count",
    "households",
    "household_size",
    "direction",
    "travellers",
    "value_centimes",
)
MAX_LIMIT = 200
# Events that name their subject by another attribute than the one the feed shows.
RENAMED: dict[str, dict[str, str]] = {
    "Campaign.Launched": {"slug": "campaign"},
    "Committee.Registered": {"code": "committee"},
}


def describe(item: Positioned) -> dict[str, Any]:
    event = item.event
    kind = type(event).__qualname__
    details = {
        key: value
        for key in SHOWN
        if isinstance(value := getattr(event, key, None), str | int) and not isinstance(value, bool)
    }
    for name, shown_as in RENAMED.get(kind, {}).items():
        if isinstance(value := getattr(event, name, None), str):
            details[shown_as] = value
    return {
        "position": item.position,
        "at": item.recorded_at.isoformat(),
        "type": kind,
        "details": details,
    }


def latest(source: EventSource, limit: int) -> list[dict[str, Any]]:
    """The last ``limit`` events, newest first."""
    limit = max(1, min(limit, MAX_LIMIT))
    head = source.head()
    events = source.read(max(0, head - limit), limit)
    return [describe(item) for item in reversed(events)]
