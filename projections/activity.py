"""The latest events, as the dashboard's activity feed shows them: no personal data.

Only whitelisted attributes leave this module: codes of campaigns, committees,
sites, stores, recipients and places, kinds and categories, counts and amounts.
Household and traveller keys, names, donors (a private benefactor's code could
name them), receipts, reasons and institutions (free text that may hold a
person's name or number) and actors never do, whatever the operation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from projections.ports import EventSource, Positioned

SHOWN = (
    "campaign",
    "operation",
    "site",
    "committee",
    "province",
    "region",
    "store",
    "recipient",
    "recipient_kind",
    "appeal",
    "fund",
    "category",
    "destination",
    "destination_country",
    "quantity",
    "count",
    "households",
    "household_size",
    "direction",
    "mode",
    "travellers",
    "delta",
    "people",
    "amount_centimes",
    "value_centimes",
    "declared_centimes",
)
MAX_LIMIT = 200
# Events that name their subject by another attribute than the one the feed shows.
RENAMED: dict[str, dict[str, str]] = {
    "Campaign.Launched": {"slug": "campaign"},
    "Committee.Registered": {"code": "committee"},
    "Operation.Launched": {"slug": "operation"},
    "Site.Registered": {"code": "site", "kind": "site_kind"},
    "Donor.DonorRegistered": {"kind": "donor_kind"},  # never its code or name
    "Appeal.AppealOpened": {"code": "appeal"},
    "Store.StoreOpened": {"code": "store"},
    "Shipment.ShipmentSent": {"code": "shipment"},
}


def _gift(event: Any) -> dict[str, int]:
    known = [line["value_centimes"] for line in event.lines if line["value_centimes"] is not None]
    return {"lines": len(event.lines), "value_centimes": sum(known)}


# Events whose figures are sums over their lines.
DERIVED: dict[str, Callable[[Any], dict[str, int]]] = {
    "InKindDonation.InKindDonationRecorded": _gift,
    "Store.GoodsReceived": lambda event: {"lines": len(event.lines)},
    "Shipment.ShipmentSent": lambda event: {"kinds": len(event.items)},
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
    if kind in DERIVED:
        details.update(DERIVED[kind](event))
    return {
        "position": item.position,
        "at": item.recorded_at.isoformat(),
        "type": kind,
        "details": details,
    }


# The ledger's own bookkeeping, saved beside the facts it guards (a delivery id's
# claim beside its delivery, a period's seal beside the writes and approvals that
# contend on it): nothing happened in the field that the feed should show.
BOOKKEEPING = frozenset(
    {
        "DeliveryKey.Claimed",
        "DeliveryKeying.Started",
        "PeriodSeal.SealOpened",
        "PeriodSeal.PeriodSealed",
        "PeriodSeal.PeriodUnsealed",
        "PeriodSeal.WritesCounted",
    }
)


def latest(source: EventSource, limit: int) -> list[dict[str, Any]]:
    """The last ``limit`` events, newest first (every delivery's claim read and skipped)."""
    limit = max(1, min(limit, MAX_LIMIT))
    head = source.head()
    events = source.read(max(0, head - 2 * limit), 2 * limit)
    shown = [e for e in events if type(e.event).__qualname__ not in BOOKKEEPING]
    return [describe(item) for item in reversed(shown[-limit:])]
