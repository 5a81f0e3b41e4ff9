"""Commands on stores, dispatches to institutions, and relief shipments abroad."""

from __future__ import annotations

from dataclasses import replace

from domain.actors import Actor
from domain.donations.commands import (
    AcknowledgeDispatch,
    DispatchGoods,
    DispatchOutcome,
    OpenStore,
    SendShipment,
)
from domain.donations.held import dispatch_fact
from domain.donations.service_base import LedgerService
from domain.donations.shipment import Shipment
from domain.donations.store import Store
from domain.outcomes import Outcome


class LogisticsCommands(LedgerService):
    def open_store(self, command: OpenStore, actor: Actor) -> Outcome:
        self.check_writer(actor)
        store = Store.open(
            code=command.code, name=command.name, city=command.city, opened_by=actor.name
        )
        return self.ledger.retrying(lambda: self._create(store, f"store '{command.code}'", "code"))

    def dispatch(self, store_code: str, command: DispatchGoods, actor: Actor) -> DispatchOutcome:
        """Send goods from a store to an institution, never more than the store holds; one
        dated in the store's approved month is held until that month is un-approved."""
        self.check_writer(actor)
        command = replace(
            command, dispatched_at=self._moment(command.dispatched_at, "dispatched_at")
        )

        def dispatch() -> DispatchOutcome:
            store = self.store(store_code)
            if store.dispatch(command, actor.name):  # held instead, while its month is approved
                fact = dispatch_fact(store_code, command, actor.name)
                at = command.dispatched_at
                outcome = self._hold_or_save(store_code, at, fact, "dispatch", actor, store)
            else:
                outcome = Outcome(False, 0, store.event_of(command.dispatch, "version"))
            record = store.dispatches[command.dispatch]
            return DispatchOutcome(outcome, record["value_centimes"], record["unvalued_lines"])

        return self.ledger.retrying(dispatch)

    def acknowledge(
        self, store_code: str, dispatch: str, command: AcknowledgeDispatch, actor: Actor
    ) -> Outcome:
        """Record the recipient's confirmation that the goods arrived."""
        self.check_writer(actor)
        received_at = self._moment(command.received_at, "received_at")

        def acknowledge() -> Outcome:
            store = self.store(store_code)
            changed = store.acknowledge(
                dispatch=dispatch,
                received_at=received_at,
                reference=command.reference,
                note=command.note,
                by=actor.name,
            )
            if not changed:
                return Outcome(False, 0, store.event_of(dispatch, "acknowledged_version"))
            return Outcome(True, self._save(store))

        return self.ledger.retrying(acknowledge)

    def send_shipment(self, command: SendShipment, actor: Actor) -> Outcome:
        self.check_writer(actor)
        if command.appeal is not None:
            self._appeal_named(command.appeal)
        shipment = Shipment.send(
            code=command.code,
            destination_country=command.destination_country,
            destination=command.destination,
            departed_at=self._moment(command.departed_at, "departed_at"),
            items=command.items,
            appeal=command.appeal,
            sent_by=actor.name,
        )
        return self.ledger.retrying(
            lambda: self._create(shipment, f"shipment '{command.code}'", "code")
        )

    # -- reading --------------------------------------------------------------
    def store(self, code: str) -> Store:
        found: Store = self._get(
            Store.create_id(code), Store, f"store '{code}' is not open", "store"
        )
        return found

    def shipment(self, code: str) -> Shipment:
        found: Shipment = self._get(
            Shipment.create_id(code), Shipment, f"no shipment '{code}'", "shipment"
        )
        return found
