"""Lots of goods in a store and what each part of a lot is worth.

Each line of an in-kind gift is one lot. Dispatches draw from an item's lots
first in, first out. A lot's value is spread over its quantity by cumulative
rounding: the first c thousandths are worth round(V * c / Q) centimes, so the
portions of a lot always add up to exactly V, whatever the order of dispatches,
and a later revaluation can restate every portion from the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.donations.amounts import share


@dataclass(slots=True)
class Lot:
    donation: str
    line: int
    item: str
    quantity: int  # thousandths of the item's unit, as received
    value: int | None  # centimes; None while the value is unknown
    out: int = 0  # thousandths dispatched so far
    allocations: list[tuple[str, int]] = field(default_factory=list)  # (recipient, thousandths)

    def __deepcopy__(self, _memo: dict[int, object]) -> Lot:
        # The repository deep-copies a cached store on every load; the generic
        # copy of a slotted dataclass is what made large stores slow.
        return Lot(
            self.donation,
            self.line,
            self.item,
            self.quantity,
            self.value,
            self.out,
            list(self.allocations),
        )

    @property
    def key(self) -> str:
        return lot_key(self.donation, self.line)

    @property
    def remaining(self) -> int:
        return self.quantity - self.out

    def worth(self, upto: int, value: int) -> int:
        """What the first ``upto`` thousandths of the lot are worth at ``value``."""
        return share(value, upto, self.quantity)

    def portion_value(self, quantity: int) -> int | None:
        """What the next ``quantity`` thousandths dispatched are worth (None: unknown)."""
        if self.value is None:
            return None
        return self.worth(self.out + quantity, self.value) - self.worth(self.out, self.value)

    def on_hand_value(self, value: int) -> int:
        """What is still in the store is worth the lot's value less what has left."""
        return value - self.worth(self.out, value)

    def allocate(self, recipient: str, quantity: int) -> None:
        self.allocations.append((recipient, quantity))
        self.out += quantity

    def recipients(self, value: int | None) -> dict[str, tuple[int, int | None]]:
        """Per recipient: thousandths received from this lot and their worth at ``value``."""
        totals: dict[str, tuple[int, int | None]] = {}
        upto = 0
        for recipient, quantity in self.allocations:
            quantity_before, worth_before = totals.get(recipient, (0, 0))
            piece = None
            if value is not None and worth_before is not None:
                piece = worth_before + self.worth(upto + quantity, value) - self.worth(upto, value)
            totals[recipient] = (quantity_before + quantity, piece)
            upto += quantity
        return totals


def lot_key(donation: str, line: int) -> str:
    return f"{donation}/{line}"
