"""Planning a dispatch: which lots each requested quantity comes from, and its worth.

Pure reading of a store's state; the store then records the plan as one event.
"""

from __future__ import annotations

from typing import Any, Protocol

from domain.donations.amounts import quantity_text, to_milli
from domain.donations.commands import DispatchGoods, DispatchLine
from domain.donations.stock import Lot
from domain.donations.vocabulary import RecipientKind, check_text
from domain.errors import ConflictError, DomainError
from domain.ids import check_code

MAX_LINES = 200


class Store(Protocol):
    """What planning reads of a store (domain.donations.store.Store is one)."""

    code: str
    lots: dict[str, Lot]
    items: dict[str, list[str]]
    units: dict[str, str]

    def on_hand(self, item: str) -> int: ...


def plan_dispatch(store: Store, command: DispatchGoods) -> list[dict[str, Any]]:
    check_code(command.recipient, "recipient")
    check_text(command.recipient_name, "recipient_name")
    if command.recipient_kind not in set(RecipientKind):
        valid = ", ".join(kind.value for kind in RecipientKind)
        raise DomainError(f"must be one of: {valid}", "recipient_kind")
    if not 1 <= len(command.lines) <= MAX_LINES:
        raise DomainError(f"must list 1 to {MAX_LINES} items", "lines")
    seen: set[str] = set()
    planned = []
    for index, line in enumerate(command.lines):
        if line.item in seen:
            raise DomainError("is listed twice in this dispatch", f"lines.{index}.item")
        seen.add(line.item)
        planned.append(_plan_line(store, index, line))
    return planned


def _plan_line(store: Store, index: int, line: DispatchLine) -> dict[str, Any]:
    wanted = to_milli(line.quantity, f"lines.{index}.quantity")
    if line.item not in store.items:
        raise DomainError(f"store '{store.code}' holds no '{line.item}'", f"lines.{index}.item")
    have = store.on_hand(line.item)
    if wanted > have:
        unit = store.units[line.item]
        raise ConflictError(
            f"store '{store.code}' holds {quantity_text(have)} {unit} of '{line.item}'; "
            f"{quantity_text(wanted)} cannot be dispatched",
            f"lines.{index}.quantity",
        )
    portions = _portions(store, line.item, wanted)
    known = [p["value_centimes"] for p in portions if p["value_centimes"] is not None]
    return {
        "item": line.item,
        "unit": store.units[line.item],
        "quantity": quantity_text(wanted),
        "portions": portions,
        "value_centimes": sum(known),
        "unvalued": len(known) < len(portions),
    }


def _portions(store: Store, item: str, wanted: int) -> list[dict[str, Any]]:
    """First in, first out: the oldest lots of the item go first."""
    portions = []
    for key in store.items[item]:
        lot = store.lots[key]
        take = min(lot.remaining, wanted)
        if take <= 0:
            continue
        portions.append(
            {
                "donation": lot.donation,
                "line": lot.line,
                "quantity": quantity_text(take),
                "value_centimes": lot.portion_value(take),
            }
        )
        wanted -= take
        if wanted == 0:
            break
    return portions
