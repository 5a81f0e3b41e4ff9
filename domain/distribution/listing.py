"""Application service of the lists: enrolment, moves, delisting, voucher reissue.

Who may change a list: an admin, or a registrar whose token is scoped to the
province of every committee the command touches.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.actors import Actor, Role
from domain.distribution.committee import Committee
from domain.distribution.enrolling import EnrolHousehold, EnrolmentDecision
from domain.distribution.enrolment import Enrolment
from domain.distribution.refusals import UNKNOWN_VOUCHER
from domain.distribution.setup import CampaignSetup
from domain.distribution.vouchers import Voucher, VoucherMinter, normalise_code
from domain.errors import ConflictError, DomainError, NotFoundError
from domain.ids import IdentityHasher
from domain.ledger import Ledger
from domain.outcomes import BatchMode, BatchOutcome, Outcome
from domain.ports import StreamIndex

LIST_ROLES = (Role.ADMIN, Role.REGISTRAR)


class ListService(CampaignSetup):
    def __init__(
        self, ledger: Ledger, hasher: IdentityHasher, streams: StreamIndex, minter: VoucherMinter
    ) -> None:
        self.ledger = ledger
        self.hasher = hasher
        self.streams = streams
        self.minter = minter

    def enrol(
        self,
        slug: str,
        items: Sequence[EnrolHousehold],
        actor: Actor,
        mode: BatchMode = BatchMode.RECORD,
    ) -> BatchOutcome:
        actor.check_role(*LIST_ROLES)
        committees = self._committees_in_scope(slug, items, actor)
        keys = [self.hasher.digest(item.household) for item in items]
        return self.ledger.retrying(
            lambda: self._enrol_batch(slug, items, keys, committees, actor, mode)
        )

    def _committees_in_scope(
        self, slug: str, items: Sequence[EnrolHousehold], actor: Actor
    ) -> dict[str, Committee]:
        """The batch's committees, each checked against a registrar's province at once."""
        found: dict[str, Committee] = {}
        for index, item in enumerate(items):
            if item.committee not in found:
                committee = self._maybe(Committee.create_id(slug, item.committee))
                if committee is None:
                    continue
                found[item.committee] = committee
            field = f"items.{index}.committee"
            actor.check_scope(Role.REGISTRAR, slug, found[item.committee].province, field)
        return found

    def _enrol_batch(
        self,
        slug: str,
        items: Sequence[EnrolHousehold],
        keys: list[str],
        committees: dict[str, Committee],
        actor: Actor,
        mode: BatchMode,
    ) -> BatchOutcome:
        campaign = self.campaign(slug, to_change=False)
        campaign.check_open()
        ids = [Enrolment.create_id(slug, key) for key in keys]
        known: dict[Any, Enrolment] = self.ledger.get_many(ids)
        decision = EnrolmentDecision(campaign, known, committees.get, self.minter, actor.name)
        for index, item in enumerate(items):
            decision.decide(index, item, keys[index], ids[index])
        decision.settle_vouchers(self.streams.existing)
        results = decision.results(len(items))
        if not mode.saves(results):
            return BatchOutcome(results, 0, committed=False)
        return BatchOutcome(results, self._save(*decision.changed()))

    def check_reader(self, slug: str, committee: str, actor: Actor) -> Committee:
        """A committee's list is read by that committee's token (or an admin's)."""
        actor.check_scope(Role.COMMITTEE, slug, committee, "committee")
        self.campaign(slug, to_change=False)
        return self.committee(slug, committee)

    def check_sheet_reader(self, slug: str, committee: str, actor: Actor) -> Committee:
        """A committee's voucher sheet: for it, an admin, or a registrar of its province."""
        if actor.role is not Role.REGISTRAR:
            return self.check_reader(slug, committee, actor)
        found = self.committee(slug, committee)
        actor.check_scope(Role.REGISTRAR, slug, found.province, "committee")
        return found

    # -- changes to one entry, named by its voucher ----------------------------
    def entry(self, slug: str, code: str, actor: Actor, field: str = "voucher") -> Enrolment:
        """The list entry a voucher names, for a caller who may change it."""
        actor.check_role(*LIST_ROLES)
        voucher = self.voucher(code, field)
        key = voucher.check_usable(slug, field)
        enrolment: Enrolment = self.ledger.repository.get(Enrolment.create_id(slug, key))
        actor.check_scope(Role.REGISTRAR, slug, enrolment.province, field)
        return enrolment

    def voucher(self, code: str, field: str) -> Voucher:
        found = self._maybe(Voucher.create_id(normalise_code(code, field)))
        if found is None:
            raise NotFoundError(
                "unknown_voucher: no household holds this voucher", field, UNKNOWN_VOUCHER
            )
        return found  # type: ignore[no-any-return]

    def move(self, slug: str, code: str, committee: str, actor: Actor) -> Outcome:
        def command() -> Outcome:
            enrolment = self.entry(slug, code, actor)
            target = self.committee(slug, committee)
            actor.check_scope(Role.REGISTRAR, slug, target.province, "committee")
            if not enrolment.move(target, actor.name):
                return Outcome(False, 0, enrolment.placement_event())
            return Outcome(True, self._save(enrolment))

        return self.ledger.retrying(command)

    def delist(self, slug: str, code: str, reason: str, actor: Actor) -> Outcome:
        def command() -> Outcome:
            enrolment = self.entry(slug, code, actor)
            if enrolment.served_by is not None:
                raise ConflictError(
                    f"already served by delivery '{enrolment.served_by}'; reverse it first",
                    "voucher",
                )
            if not enrolment.delist(reason, actor.name):
                return Outcome(False, 0, enrolment.delisting_event())
            return Outcome(True, self._save(enrolment))

        return self.ledger.retrying(command)

    def reissue(self, slug: str, code: str, reason: str, actor: Actor) -> tuple[Outcome, str]:
        """Revoke a voucher and give its household a new code; answers the new code."""

        def command() -> tuple[Outcome, str]:
            enrolment = self.entry(slug, code, actor)
            old = self.voucher(code, "voucher")
            new = self._fresh_code(slug, enrolment.household_key)
            old.revoke(reason, actor.name)
            enrolment.reissue(new, reason, actor.name)
            voucher = Voucher(
                campaign=slug, code=new, household_key=enrolment.household_key,
                issued_by=actor.name,
            )  # fmt: skip
            return Outcome(True, self._save(enrolment, old, voucher)), new

        return self.ledger.retrying(command)

    def _fresh_code(self, slug: str, key: str) -> str:
        for serial in range(1, 1000):
            code = self.minter.code(slug, key, serial)
            if not self.streams.existing({Voucher.create_id(code)}):
                return code
        raise DomainError("no free voucher code left for this household", "voucher")

    def _maybe(self, aggregate_id: Any) -> Any:
        try:
            return self.ledger.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
