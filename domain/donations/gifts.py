"""Commands on donors, gifts, valuations and appeals."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.actors import Actor
from domain.donations.appeal import Appeal
from domain.donations.cash import CashDonation
from domain.donations.commands import (
    CorrectValuation,
    DeclareAppeal,
    RecordCash,
    RecordInKind,
    RegisterDonor,
)
from domain.donations.donor import Donor
from domain.donations.held import gift_fact
from domain.donations.in_kind import InKindDonation
from domain.donations.service_base import LedgerService
from domain.donations.store import Store
from domain.errors import ConflictError, NotFoundError
from domain.outcomes import EventRef, Outcome, event_in


class GiftCommands(LedgerService):
    def register_donor(self, command: RegisterDonor, actor: Actor) -> Outcome:
        self.check_writer(actor)
        donor = Donor.register(
            code=command.code, kind=command.kind, name=command.name, registered_by=actor.name
        )
        return self.ledger.retrying(lambda: self._create(donor, f"donor '{command.code}'", "code"))

    def record_cash(self, command: RecordCash, actor: Actor) -> Outcome:
        self.check_writer(actor)
        self._donor_named(command.donor)
        gift = CashDonation.record(
            donor=command.donor,
            receipt=command.receipt,
            direction=command.direction,
            amount_centimes=command.amount_centimes,
            fund=command.fund,
            occurred_at=self._moment(command.occurred_at, "occurred_at"),
            recorded_by=actor.name,
        )
        return self.ledger.retrying(
            lambda: self._create(gift, f"receipt '{command.receipt}'", "receipt")
        )

    def record_in_kind(self, command: RecordInKind, actor: Actor) -> Outcome:
        """Goods received into a store; held while the store's month is approved."""
        self.check_writer(actor)
        self._donor_named(command.donor)
        if command.appeal is not None:
            self._appeal_named(command.appeal)
        gift = InKindDonation.record(
            donor=command.donor,
            receipt=command.receipt,
            store=command.store,
            appeal=command.appeal,
            received_at=self._moment(command.received_at, "received_at"),
            lines=command.lines,
            recorded_by=actor.name,
        )

        def record() -> Outcome:
            existing = self._maybe(gift.id)
            if existing is not None:
                if type(existing) is not InKindDonation or existing.facts() != gift.facts():
                    raise ConflictError(
                        f"receipt '{command.receipt}' is already recorded with other details",
                        "receipt",
                    )
                return Outcome(False, 0, EventRef(existing.id, 1))
            store: Store = self._referenced(
                Store.create_id(command.store),
                Store,
                f"store '{command.store}' is not open",
                "store",
            )
            store.receive(donation=gift.id.hex, donor=gift.donor, lines=gift.lines)
            fact = gift_fact(gift, actor.name)  # held instead, while its month is approved
            at = gift.received_at
            return self._hold_or_save(store.code, at, fact, "receipt", actor, gift, store)

        return self.ledger.retrying(record)

    def correct_valuation(self, donation: str, command: CorrectValuation, actor: Actor) -> Outcome:
        """Restate one line's value: the gift's totals and the store's stock follow."""
        self.check_writer(actor)

        def correct() -> Outcome:
            gift = self.in_kind_donation(donation)
            if not gift.correct_valuation(
                line=command.line,
                value_centimes=command.value_centimes,
                reason=command.reason,
                corrected_by=actor.name,
            ):  # already this value: since its last correction, or as first recorded
                version = getattr(gift, "valued_in", {}).get(command.line, 1)
                return Outcome(False, 0, EventRef(gift.id, version))
            store: Store = self._get(
                Store.create_id(gift.store), Store, f"store '{gift.store}' is not open", "store"
            )
            store.revalue(
                donation=gift.id.hex,
                line=command.line,
                value_centimes=command.value_centimes,
                by=actor.name,
            )
            seal = self._guard(store.code, gift.received_at, "line", actor)
            return Outcome(True, self._save(seal, gift, store))

        return self.ledger.retrying(correct)

    def declare_appeal(self, command: DeclareAppeal, actor: Actor) -> Outcome:
        """Open the appeal if new, then record its declared total."""
        self.check_writer(actor)

        def declare() -> Outcome:
            appeal: Appeal | None = self._maybe(Appeal.create_id(command.code))
            if appeal is None:
                appeal = Appeal.open(code=command.code, name=command.name, opened_by=actor.name)
            elif appeal.name != command.name.strip():
                raise ConflictError(f"appeal '{command.code}' has another name", "name")
            changed = appeal.declare_total(
                declared_centimes=command.declared_centimes,
                source=command.source,
                declared_by=actor.name,
            )
            if not changed:  # the same total from the same source: a resend
                return Outcome(False, 0, event_in(appeal, "declared_in"))
            return Outcome(True, self._save(appeal))

        return self.ledger.retrying(declare)

    # -- reading --------------------------------------------------------------
    def donor(self, code: str) -> Donor:
        found: Donor = self._get(
            Donor.create_id(code), Donor, f"donor '{code}' is not registered", "donor"
        )
        return found

    def appeal(self, code: str) -> Appeal:
        found: Appeal = self._get(
            Appeal.create_id(code), Appeal, f"appeal '{code}' does not exist", "appeal"
        )
        return found

    def donation(self, donation: str) -> CashDonation | InKindDonation:
        found: CashDonation | InKindDonation = self._get(
            _uuid(donation),
            (CashDonation, InKindDonation),
            f"no donation '{donation[:40]}'",
            "donation",
        )
        return found

    def in_kind_donation(self, donation: str) -> InKindDonation:
        found: InKindDonation = self._get(
            _uuid(donation), InKindDonation, f"no in-kind donation '{donation[:40]}'", "donation"
        )
        return found

    def valuation_history(self, donation: str) -> list[Any]:
        """The donation's ValuationCorrected events, oldest first, with their timestamps."""
        gift = self.in_kind_donation(donation)
        corrected = InKindDonation.ValuationCorrected  # type: ignore[attr-defined]
        return [e for e in self.ledger.events.get(gift.id) if isinstance(e, corrected)]


def _uuid(donation: str) -> UUID:
    try:
        return UUID(hex=donation)
    except ValueError:
        raise NotFoundError(f"no donation '{donation[:40]}'", "donation") from None
