"""Deciding a batch of enrolments in memory before one atomic save.

Each item is checked against the households already listed and those enrolled
earlier in the batch; voucher codes are settled for the whole batch at the end,
so that a code already taken (in the store or the batch) is replaced by the
household's next one before anything is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from uuid import UUID

from domain.distribution.campaign import Campaign
from domain.distribution.committee import Committee
from domain.distribution.enrolment import Enrolment
from domain.distribution.refusals import LISTED_ELSEWHERE
from domain.distribution.vouchers import Voucher, VoucherMinter
from domain.errors import DomainError
from domain.outcomes import EventRef, ItemResult, ItemStatus

MAX_HOUSEHOLD_SIZE = 40


@dataclass(frozen=True, slots=True)
class EnrolHousehold:
    """One household put on one committee's list; ``household`` is hashed at once."""

    household: str = field(repr=False)
    committee: str
    household_size: int
    commune: str = ""


@dataclass(slots=True)
class _Planned:
    index: int
    item: EnrolHousehold
    key: str
    committee: Committee
    serial: int = 0
    code: str = ""


class EnrolmentDecision:
    def __init__(
        self,
        campaign: Campaign,
        known: Mapping[UUID, Enrolment],
        committee_of: Callable[[str], Committee | None],
        minter: VoucherMinter,
        enrolled_by: str,
    ) -> None:
        self.campaign = campaign
        self.known = known
        self.committee_of = committee_of
        self.minter = minter
        self.enrolled_by = enrolled_by
        self.planned: dict[UUID, _Planned] = {}
        self.answers: dict[int, ItemResult] = {}

    def decide(self, index: int, item: EnrolHousehold, key: str, eid: UUID) -> None:
        try:
            self._decide(index, item, key, eid)
        except DomainError as error:
            where = f"items.{index}.{error.field or 'item'}"
            self.answers[index] = ItemResult(index, "", ItemStatus.REJECTED, error.reason, where)

    def _decide(self, index: int, item: EnrolHousehold, key: str, eid: UUID) -> None:
        earlier = self.known.get(eid)
        planned = self.planned.get(eid)
        if earlier is not None or planned is not None:
            listed_at = earlier.committee if earlier else planned.committee.code  # type: ignore[union-attr]
            if earlier is not None and not earlier.listed:
                raise DomainError("this household was delisted from this campaign", "household")
            if listed_at != item.committee:
                raise DomainError(
                    f"listed_elsewhere: already on the list of committee '{listed_at}'; "
                    "move it instead",
                    "committee",
                    LISTED_ELSEWHERE,
                )
            voucher = earlier.voucher if earlier else ""
            self.answers[index] = ItemResult(
                index, voucher, ItemStatus.DUPLICATE, "already recorded", None,
                {"committee": listed_at, "voucher": voucher},
                at=EventRef(earlier.id, 1) if earlier is not None else None,
            )  # fmt: skip
            return
        if not 1 <= item.household_size <= MAX_HOUSEHOLD_SIZE:
            raise DomainError(
                f"must be between 1 and {MAX_HOUSEHOLD_SIZE} people", "household_size"
            )
        committee = self.committee_of(item.committee)
        if committee is None:
            raise DomainError(
                f"committee '{item.committee}' is not registered in campaign "
                f"'{self.campaign.slug}'",
                "committee",
            )
        self.planned[eid] = _Planned(index, item, key, committee)

    def settle_vouchers(self, taken: Callable[[Collection[UUID]], set[UUID]]) -> None:
        """Give every planned household a code no other household holds."""
        pending, held = list(self.planned.values()), set[str]()
        while pending:
            for plan in pending:
                plan.code = self.minter.code(self.campaign.slug, plan.key, plan.serial)
            clashes = taken({Voucher.create_id(plan.code) for plan in pending})
            retry = []
            for plan in pending:
                if Voucher.create_id(plan.code) in clashes or plan.code in held:
                    plan.serial += 1
                    retry.append(plan)
                else:
                    held.add(plan.code)
            pending = retry

    def results(self, count: int) -> list[ItemResult]:
        for plan in self.planned.values():
            self.answers[plan.index] = ItemResult(plan.index, plan.code, ItemStatus.RECORDED)
        return [self.answers[i] for i in range(count)]

    def changed(self) -> list[Enrolment | Voucher]:
        """Each new household's enrolment and its voucher, saved together."""
        changed: list[Enrolment | Voucher] = []
        for plan in self.planned.values():
            c = plan.committee
            changed.append(
                Enrolment(
                    campaign=self.campaign.slug,
                    household_key=plan.key,
                    committee=c.code,
                    province=c.province,
                    region=c.region,
                    commune=plan.item.commune.strip() or c.commune,
                    household_size=plan.item.household_size,
                    voucher=plan.code,
                    enrolled_by=self.enrolled_by,
                )
            )
            changed.append(self.voucher(plan.key, plan.code))
        return changed

    def voucher(self, key: str, code: str) -> Voucher:
        return Voucher(
            campaign=self.campaign.slug, code=code, household_key=key, issued_by=self.enrolled_by
        )
