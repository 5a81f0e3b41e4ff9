"""A cash gift received by the foundation, or a contribution it paid out to a fund.

The stream id comes from (donor, receipt): the same receipt recorded twice is
the same gift, and it counts once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.donations.amounts import check_centimes
from domain.donations.vocabulary import CashDirection
from domain.errors import DomainError
from domain.ids import check_code, stream_id


def donation_id(donor: str, receipt: str) -> UUID:
    """One receipt of one donor names one gift, cash or in kind."""
    return stream_id("donation", donor, receipt)


class CashDonation(Aggregate):
    @staticmethod
    def create_id(donor: str, receipt: str, **_: Any) -> UUID:
        return donation_id(donor, receipt)

    @classmethod
    def record(
        cls,
        *,
        donor: str,
        receipt: str,
        direction: str,
        amount_centimes: int,
        fund: str,
        occurred_at: datetime,
        recorded_by: str,
    ) -> CashDonation:
        try:
            way = CashDirection(direction)
        except ValueError:
            valid = ", ".join(d.value for d in CashDirection)
            raise DomainError(f"must be one of: {valid}", "direction") from None
        if check_centimes(amount_centimes, "amount_mad") == 0:
            raise DomainError("must be more than zero", "amount_mad")
        return cls(
            donor=donor,
            receipt=receipt,
            direction=way.value,
            amount_centimes=amount_centimes,
            fund=check_code(fund, "fund"),
            occurred_at=occurred_at,
            recorded_by=recorded_by,
        )

    @event("CashDonationRecorded")
    def __init__(
        self,
        *,
        donor: str,
        receipt: str,
        direction: str,
        amount_centimes: int,
        fund: str,
        occurred_at: datetime,
        recorded_by: str,
    ) -> None:
        self.donor = donor
        self.receipt = receipt
        self.direction = direction
        self.amount_centimes = amount_centimes
        self.fund = fund
        self.occurred_at = occurred_at
        self.recorded_by = recorded_by

    def facts(self) -> tuple[Any, ...]:
        """What a resent gift must repeat to count as the same one."""
        return (self.direction, self.amount_centimes, self.fund, self.occurred_at)
