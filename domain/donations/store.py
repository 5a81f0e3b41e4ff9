"""A store of donated goods: stock per item, and the only place goods leave from.

One stream per store is the consistency boundary for "never dispatch more of an
item than the store holds": a receipt and a dispatch each append one event, and
two racing dispatches collide on the stream version and are decided again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.donations.amounts import milli, quantity_text, to_milli
from domain.donations.commands import DispatchGoods
from domain.donations.dispatching import plan_dispatch
from domain.donations.stock import Lot, lot_key
from domain.donations.vocabulary import check_text
from domain.errors import ConflictError, DomainError, NotFoundError
from domain.ids import check_code, stream_id
from domain.outcomes import EventRef


class Store(Aggregate):
    @staticmethod
    def create_id(code: str, **_: Any) -> UUID:
        return stream_id("store", code)

    @classmethod
    def open(cls, *, code: str, name: str, city: str, opened_by: str) -> Store:
        return cls(
            code=check_code(code, "code"),
            name=check_text(name, "name"),
            city=check_text(city, "city"),
            opened_by=opened_by,
        )

    @event("StoreOpened")
    def __init__(self, *, code: str, name: str, city: str, opened_by: str) -> None:
        self.code = code
        self.name = name
        self.city = city
        self.lots: dict[str, Lot] = {}
        self.items: dict[str, list[str]] = {}  # item -> its lot keys, first in first
        self.units: dict[str, str] = {}
        self.dispatches: dict[str, dict[str, Any]] = {}
        self.revaluations: dict[str, int] = {}  # lot key -> how often it was revalued

    def facts(self) -> tuple[str, str]:
        return (self.name, self.city)

    def on_hand(self, item: str) -> int:
        return sum(self.lots[key].remaining for key in self.items.get(item, ()))

    def stock(self) -> list[tuple[str, str, int, int, int]]:
        """Per item: (item, unit, thousandths on hand, their known value, unvalued thousandths)."""
        rows = []
        for item, keys in sorted(self.items.items()):
            lots = [self.lots[key] for key in keys]
            value = sum(lot.on_hand_value(lot.value) for lot in lots if lot.value is not None)
            unvalued = sum(lot.remaining for lot in lots if lot.value is None)
            rows.append((item, self.units[item], self.on_hand(item), value, unvalued))
        return rows

    # -- receiving ------------------------------------------------------------
    def receive(self, *, donation: str, donor: str, lines: Sequence[dict[str, Any]]) -> None:
        for index, line in enumerate(lines):
            if lot_key(donation, line["line"]) in self.lots:
                raise ConflictError("this gift is already in the store", "receipt")
            unit = self.units.get(line["item"], line["unit"])
            if unit != line["unit"]:
                raise ConflictError(
                    f"item '{line['item']}' is counted in '{unit}' in store '{self.code}'",
                    f"lines.{index}.unit",
                )
        self._goods_received(store=self.code, donation=donation, donor=donor, lines=list(lines))

    @event("GoodsReceived")
    def _goods_received(
        self, *, store: str, donation: str, donor: str, lines: list[dict[str, Any]]
    ) -> None:
        for line in lines:
            quantity = milli(line["quantity"])
            lot = Lot(donation, line["line"], line["item"], quantity, line["value_centimes"])
            self.lots[lot.key] = lot
            self.items.setdefault(lot.item, []).append(lot.key)
            self.units.setdefault(lot.item, line["unit"])

    # -- dispatching ----------------------------------------------------------
    def dispatch(self, command: DispatchGoods, dispatched_by: str) -> bool:
        """Send goods to a recipient; False when this dispatch was already recorded."""
        if self._already_dispatched(command):
            return False
        lines = plan_dispatch(self, command)
        self._goods_dispatched(
            store=self.code,
            dispatch=command.dispatch,
            recipient=command.recipient,
            recipient_kind=command.recipient_kind,
            recipient_name=command.recipient_name.strip(),
            dispatched_at=command.dispatched_at,
            lines=lines,
            value_centimes=sum(line["value_centimes"] for line in lines),
            dispatched_by=dispatched_by,
        )
        return True

    def _already_dispatched(self, command: DispatchGoods) -> bool:
        found = self.dispatches.get(command.dispatch)
        if found is None:
            return False
        asked = [(line.item, to_milli(line.quantity, "quantity")) for line in command.lines]
        if (found["recipient"], found["asked"], found["dispatched_at"]) != (
            command.recipient,
            asked,
            command.dispatched_at,
        ):
            raise ConflictError(
                f"dispatch '{command.dispatch}' is already recorded with other details", "dispatch"
            )
        return True

    @event("GoodsDispatched")
    def _goods_dispatched(
        self,
        *,
        store: str,
        dispatch: str,
        recipient: str,
        recipient_kind: str,
        recipient_name: str,
        dispatched_at: datetime,
        lines: list[dict[str, Any]],
        value_centimes: int,
        dispatched_by: str,
    ) -> None:
        drawn = []  # (lot key, thousandths already out of it, thousandths, revaluations so far)
        for line in lines:
            for portion in line["portions"]:
                lot = self.lots[lot_key(portion["donation"], portion["line"])]
                quantity = milli(portion["quantity"])
                drawn.append((lot.key, lot.out, quantity, self.revaluations.get(lot.key, 0)))
                lot.allocate(recipient, quantity)
        self.dispatches[dispatch] = {
            "drawn": drawn,
            "recipient": recipient,
            "recipient_kind": recipient_kind,
            "dispatched_at": dispatched_at,
            "asked": [(line["item"], milli(line["quantity"])) for line in lines],
            "value_centimes": value_centimes,
            "unvalued_lines": [i for i, line in enumerate(lines) if line["unvalued"]],
            "acknowledged": None,
            "version": self.version + 1,  # this event's: the body runs before the bump
        }

    # -- acknowledging --------------------------------------------------------
    def acknowledge(
        self, *, dispatch: str, received_at: datetime, reference: str, note: str, by: str
    ) -> bool:
        """The recipient confirms receipt; False when that confirmation is already recorded."""
        found = self.dispatches.get(dispatch)
        if found is None:
            raise NotFoundError(f"no dispatch '{dispatch}' from store '{self.code}'", "dispatch")
        if found["acknowledged"] is not None:
            if found["acknowledged"] == (received_at, reference):
                return False
            raise ConflictError(f"dispatch '{dispatch}' is already acknowledged", "dispatch")
        if received_at < found["dispatched_at"]:
            raise DomainError("is before the goods were dispatched", "received_at")
        self._dispatch_acknowledged(
            store=self.code,
            dispatch=dispatch,
            recipient=found["recipient"],
            recipient_kind=found["recipient_kind"],
            received_at=received_at,
            reference=check_text(reference, "reference", 64),
            note=note.strip(),
            acknowledged_by=by,
        )
        return True

    @event("DispatchAcknowledged")
    def _dispatch_acknowledged(
        self,
        *,
        store: str,
        dispatch: str,
        recipient: str,
        recipient_kind: str,
        received_at: datetime,
        reference: str,
        note: str,
        acknowledged_by: str,
    ) -> None:
        self.dispatches[dispatch]["acknowledged"] = (received_at, reference)
        self.dispatches[dispatch]["acknowledged_version"] = self.version + 1

    def event_of(self, dispatch: str, which: str) -> EventRef | None:
        """The event that recorded a dispatch (``version``) or its acknowledgement."""
        version = self.dispatches[dispatch].get(which)
        return None if version is None else EventRef(self.id, version)

    # -- revaluing ------------------------------------------------------------
    def revalue(self, *, donation: str, line: int, value_centimes: int, by: str) -> None:
        """Restate a lot's value, and with it what is on hand and what each recipient got."""
        lot = self.lots[lot_key(donation, line)]
        before = lot.recipients(lot.value)
        after = lot.recipients(value_centimes)
        self._lot_revalued(
            store=self.code,
            donation=donation,
            line=line,
            item=lot.item,
            on_hand_quantity=quantity_text(lot.remaining),
            previous_centimes=lot.value,
            value_centimes=value_centimes,
            on_hand_before=None if lot.value is None else lot.on_hand_value(lot.value),
            on_hand_after=lot.on_hand_value(value_centimes),
            recipients=[
                {
                    "recipient": r,
                    "quantity": quantity_text(q),
                    "before": before[r][1],
                    "after": after[r][1],
                }
                for r, (q, _) in after.items()
            ],
            revalued_by=by,
        )

    @event("LotRevalued")
    def _lot_revalued(
        self,
        *,
        store: str,
        donation: str,
        line: int,
        item: str,
        on_hand_quantity: str,
        previous_centimes: int | None,
        value_centimes: int,
        on_hand_before: int | None,
        on_hand_after: int,
        recipients: list[dict[str, Any]],
        revalued_by: str,
    ) -> None:
        key = lot_key(donation, line)
        self.lots[key].value = value_centimes
        self.revaluations[key] = self.revaluations.get(key, 0) + 1

    def restated(self, dispatch: str) -> tuple[int, list[tuple[str, int, int]]]:
        """A dispatch's value at its lots' values now, the way totals restate it (each
        portion worth its share of its lot at the current value), and the lots revalued
        since it left: (donation, line, how many of that lot's revaluations came before)."""
        value, since = 0, []
        for key, upto, quantity, seen in self.dispatches[dispatch]["drawn"]:
            lot = self.lots[key]
            if lot.value is not None:
                value += lot.worth(upto + quantity, lot.value) - lot.worth(upto, lot.value)
            if self.revaluations.get(key, 0) > seen:
                since.append((lot.donation, lot.line, seen))
        return value, since
