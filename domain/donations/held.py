"""What a hold keeps of a gift in kind or a dispatch dated in a store's approved month.

A new gift received into a store, or a new dispatch from it, in a month approved
for that store is held in the approval book (answered ``held``, not counted) and
recorded from these facts, through its own command, when the month is un-approved.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from domain.donations.commands import DispatchGoods, DispatchLine, GiftLine, RecordInKind
from domain.donations.in_kind import InKindDonation
from domain.donations.service_base import Fact

GIFT = "in_kind"
DISPATCH = "dispatch"


def gift_fact(gift: InKindDonation, sent_by: str) -> Fact:
    return f"{gift.store}/in-kind/{gift.donor}/{gift.receipt}", {
        "kind": GIFT,
        "donor": gift.donor,
        "receipt": gift.receipt,
        "store": gift.store,
        "appeal": gift.appeal,
        "received_at": gift.received_at.isoformat(),
        "lines": [dict(line) for line in gift.lines],
        "sent_by": sent_by,
    }


def held_gift(facts: dict[str, Any]) -> RecordInKind:
    """The gift a held fact keeps, as it was sent."""
    return RecordInKind(
        donor=facts["donor"],
        receipt=facts["receipt"],
        store=facts["store"],
        received_at=datetime.fromisoformat(facts["received_at"]),
        lines=[
            GiftLine(
                item=line["item"],
                category=line["category"],
                description=line["description"],
                quantity=Decimal(line["quantity"]),
                unit=line["unit"],
                value_centimes=line["value_centimes"],
            )
            for line in facts["lines"]
        ],
        appeal=facts["appeal"],
    )


def dispatch_fact(store: str, command: DispatchGoods, sent_by: str) -> Fact:
    return f"{store}/dispatch/{command.dispatch}", {
        "kind": DISPATCH,
        "store": store,
        "dispatch": command.dispatch,
        "recipient": command.recipient,
        "recipient_kind": command.recipient_kind,
        "recipient_name": command.recipient_name,
        "dispatched_at": command.dispatched_at.isoformat(),
        "lines": [{"item": line.item, "quantity": str(line.quantity)} for line in command.lines],
        "sent_by": sent_by,
    }


def held_dispatch(facts: dict[str, Any]) -> DispatchGoods:
    """The dispatch a held fact keeps, as it was sent."""
    return DispatchGoods(
        dispatch=facts["dispatch"],
        recipient=facts["recipient"],
        recipient_kind=facts["recipient_kind"],
        recipient_name=facts["recipient_name"],
        dispatched_at=datetime.fromisoformat(facts["dispatched_at"]),
        lines=[DispatchLine(line["item"], Decimal(line["quantity"])) for line in facts["lines"]],
    )
