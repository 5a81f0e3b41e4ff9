"""An in-kind gift: lines of goods received into a store, each with its declared value.

A declared value may be unknown (the report prints none for 80,000 masks) or
wrong (it prints "61 948 075" for one endoscopy unit). Neither is ever edited:
a valuation correction is a new event carrying the value it replaces, the new
value, the reason and the author, so an auditor sees all three.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.donations.amounts import (
    check_centimes,
    check_optional_centimes,
    quantity_text,
    to_milli,
)
from domain.donations.cash import donation_id
from domain.donations.commands import GiftLine
from domain.donations.vocabulary import check_category, check_item_code, check_text
from domain.errors import DomainError, NotFoundError

MAX_LINES = 200


class InKindDonation(Aggregate):
    @staticmethod
    def create_id(donor: str, receipt: str, **_: Any) -> UUID:
        return donation_id(donor, receipt)

    @classmethod
    def record(
        cls,
        *,
        donor: str,
        receipt: str,
        store: str,
        appeal: str | None,
        received_at: datetime,
        lines: Sequence[GiftLine],
        recorded_by: str,
    ) -> InKindDonation:
        if not 1 <= len(lines) <= MAX_LINES:
            raise DomainError(f"must list 1 to {MAX_LINES} lines of goods", "lines")
        return cls(
            donor=donor,
            receipt=receipt,
            store=store,
            appeal=appeal,
            received_at=received_at,
            lines=[_line(number, line) for number, line in enumerate(lines, start=1)],
            recorded_by=recorded_by,
        )

    @event("InKindDonationRecorded")
    def __init__(
        self,
        *,
        donor: str,
        receipt: str,
        store: str,
        appeal: str | None,
        received_at: datetime,
        lines: list[dict[str, Any]],
        recorded_by: str,
    ) -> None:
        self.donor = donor
        self.receipt = receipt
        self.store = store
        self.appeal = appeal
        self.received_at = received_at
        self.lines = lines
        self.values: dict[int, int | None] = {ln["line"]: ln["value_centimes"] for ln in lines}
        self.valued_in: dict[int, int] = {}  # line -> the version of its last correction

    def facts(self) -> tuple[Any, ...]:
        """What a resent gift must repeat to count as the same one."""
        return (self.store, self.appeal, self.received_at, self.lines)

    def line(self, number: int) -> dict[str, Any]:
        if number not in self.values:
            raise NotFoundError(f"this donation has lines 1 to {len(self.lines)}", "line")
        return self.lines[number - 1]

    def correct_valuation(
        self, *, line: int, value_centimes: int, reason: str, corrected_by: str
    ) -> bool:
        """Record a corrected value for one line; False when it already has that value."""
        found = self.line(line)
        check_centimes(value_centimes, "value_mad")
        reason = check_text(reason, "reason", 500)
        previous = self.values[line]
        if previous == value_centimes:
            return False
        self._valuation_corrected(
            donor=self.donor,
            receipt=self.receipt,
            store=self.store,
            appeal=self.appeal,
            received_at=self.received_at,
            line=line,
            category=found["category"],
            previous_centimes=previous,
            value_centimes=value_centimes,
            reason=reason,
            corrected_by=corrected_by,
        )
        return True

    @event("ValuationCorrected")
    def _valuation_corrected(
        self,
        *,
        donor: str,
        receipt: str,
        store: str,
        appeal: str | None,
        received_at: datetime,
        line: int,
        category: str,
        previous_centimes: int | None,
        value_centimes: int,
        reason: str,
        corrected_by: str,
    ) -> None:
        self.values[line] = value_centimes
        self.valued_in[line] = self.version + 1  # this event's: the body runs first


def _line(number: int, line: GiftLine) -> dict[str, Any]:
    field = f"lines.{number - 1}"
    return {
        "line": number,
        "item": check_item_code(line.item, f"{field}.item"),
        "category": check_category(line.category, f"{field}.category"),
        "description": check_text(line.description, f"{field}.description"),
        "quantity": quantity_text(to_milli(line.quantity, f"{field}.quantity")),
        "unit": check_text(line.unit, f"{field}.unit", 20),
        "value_centimes": check_optional_centimes(line.value_centimes, f"{field}.value_mad"),
    }
