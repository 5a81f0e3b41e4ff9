"""Which household stream each client delivery id was recorded on.

Commands need it (a reversal names only the delivery id), so the API always
keeps it current from the store itself, even when totals are fed from Kafka.
"""

from __future__ import annotations

from typing import Any

from domain.distribution.household import Household
from projections.dispatch import dispatching
from projections.tally import Delta

VIEW = "delivery_index"


def _indexed(d: Delta, e: Any) -> None:
    d.label(e.campaign, "delivery", e.delivery_id, "household", e.originator_id.hex)


PROJECTION = dispatching(
    VIEW,
    {
        (Household, "KitDelivered"): _indexed,
        (Household, "KitDeliveredAfterReversal"): _indexed,
    },
)

fold = PROJECTION.fold
