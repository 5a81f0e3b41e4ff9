"""Which household stream each client delivery id was recorded on.

Commands need it (a reversal names only the delivery id), so the API always
keeps it current from the store itself, even when totals are fed from Kafka.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.distribution.household import Household
from projections.ports import Projection
from projections.tally import Delta

VIEW = "delivery_index"


def _indexed(d: Delta, e: Any) -> None:
    d.label(e.campaign, "delivery", e.delivery_id, "household", e.originator_id.hex)


HANDLERS: dict[type, Callable[[Delta, Any], None]] = {
    getattr(Household, "KitDelivered"): _indexed,  # noqa: B009 - made by @event at import
    getattr(Household, "KitDeliveredAfterReversal"): _indexed,  # noqa: B009
}


def fold(state: Delta, event: object) -> Delta:
    handler = HANDLERS.get(type(event))
    if handler is not None:
        handler(state, event)
    return state


PROJECTION = Projection(VIEW, fold, frozenset(HANDLERS))
