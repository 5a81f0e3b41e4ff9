"""Sends each planned step to the application services of a Container, as an admin.

The translation mirrors what the API's routes do (request body -> command),
so the same plan lands as the same events through either driver.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from adapters.bootstrap import Container
from adapters.simulator.steps import RECORDED, UNCHANGED, Step
from adapters.simulator.vouchers import VoucherBook
from domain.actors import Actor, Role
from domain.distribution.commands import (
    DispatchKits,
    LaunchCampaign,
    RecordDelivery,
    RegisterCommittee,
)
from domain.distribution.enrolling import EnrolHousehold
from domain.donations.cash import donation_id
from domain.donations.commands import (
    AcknowledgeDispatch,
    CorrectValuation,
    DeclareAppeal,
    DispatchGoods,
    DispatchLine,
    GiftLine,
    OpenStore,
    RecordCash,
    RecordInKind,
    RegisterDonor,
    SendShipment,
    ShipmentItem,
)
from domain.marhaba.commands import (
    AdjustMovement,
    CloseCase,
    LaunchOperation,
    OpenCase,
    RecordMovement,
    ReferCase,
    RegisterSite,
)
from domain.outcomes import BatchOutcome, Outcome

Answer = tuple[dict[str, int], int]
SIMULATOR = Actor(Role.ADMIN, "simulator")


def centimes(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount * 100)


def answered(outcome: Outcome) -> Answer:
    return {RECORDED if outcome.created else UNCHANGED: 1}, outcome.position


def counted(outcome: BatchOutcome) -> Answer:
    counts: dict[str, int] = {}
    for item in outcome.items:
        counts[item.status.value] = counts.get(item.status.value, 0) + 1
    return counts, outcome.position


class ServiceDriver:
    def __init__(self, container: Container, actor: Actor = SIMULATOR) -> None:
        self.container = container
        self.actor = actor
        self.book = VoucherBook()
        self.lists: dict[str, Callable[[Step], Answer]] = {
            "enrolments": self.enrol,
            "reissue_voucher": self.reissue,
        }
        self.handlers: dict[str, Callable[..., Answer]] = {
            **self.distribution(),
            **self.marhaba(),
            **self.donations(),
        }

    def send(self, step: Step) -> Answer:
        if step.kind in self.lists:
            return self.lists[step.kind](step)
        body = self.book.resolve_items(step)
        return self.handlers[step.kind](*step.target, body)

    def enrol(self, step: Step) -> Answer:
        items = [EnrolHousehold(**item) for item in step.items]
        outcome = self.container.lists.enrol(step.target[0], items, self.actor)
        self.book.remember(step, [r.item_id for r in outcome.items])
        return counted(outcome)

    def reissue(self, step: Step) -> Answer:
        slug, ref = step.target[0], step.target[1]
        old = self.book.code(ref)  # type: ignore[arg-type]
        outcome, new = self.container.lists.reissue(slug, old, step.body["reason"], self.actor)
        self.book.reissued(ref, new)  # type: ignore[arg-type]
        return answered(outcome)

    def distribution(self) -> dict[str, Callable[..., Answer]]:
        service, actor = self.container.distribution, self.actor

        def launch(body: dict[str, Any]) -> Answer:
            fields = {k: v for k, v in body.items() if k != "budget_mad"}
            command = LaunchCampaign(**fields, budget_centimes=centimes(body["budget_mad"]) or 0)
            return answered(service.launch_campaign(command, actor))

        return {
            "launch_campaign": launch,
            "set_quota": lambda slug, province, body: answered(
                service.set_quota(slug, province, body["households"], actor)
            ),
            "register_committee": lambda slug, body: answered(
                service.register_committee(slug, RegisterCommittee(**body), actor)
            ),
            "dispatch_kits": lambda slug, code, body: answered(
                service.dispatch_kits(slug, DispatchKits(committee=code, **body), actor)
            ),
            "deliveries": lambda slug, body: counted(
                service.record_deliveries(
                    slug, [RecordDelivery(**{"household": "", **i}) for i in body["items"]], actor
                )
            ),
            "reverse_delivery": lambda slug, delivery, body: answered(
                service.reverse_delivery(slug, delivery, body["reason"], actor)
            ),
        }

    def marhaba(self) -> dict[str, Callable[..., Answer]]:
        service, actor = self.container.marhaba, self.actor

        def open_case(slug: str, site: str, body: dict[str, Any]) -> Answer:
            fields = {k: v for k, v in body.items() if k != "case_id"}
            command = OpenCase(case=body["case_id"], **fields)
            return answered(service.cases.open(slug, site, command, actor))

        return {
            "launch_operation": lambda body: answered(
                service.launch_operation(LaunchOperation(**body), actor)
            ),
            "register_site": lambda slug, body: answered(
                service.register_site(slug, RegisterSite(**body), actor)
            ),
            "movements": lambda slug, site, body: counted(
                service.record_movements(
                    slug, site, [RecordMovement(**item) for item in body["items"]], actor
                )
            ),
            "adjust_movement": lambda slug, site, ref, body: answered(
                service.adjust_movement(slug, site, ref, AdjustMovement(**body), actor)
            ),
            "open_case": open_case,
            "refer_case": lambda slug, site, case, body: answered(
                service.cases.refer(slug, site, case, ReferCase(**body), actor)
            ),
            "close_case": lambda slug, site, case, body: answered(
                service.cases.close(slug, site, case, CloseCase(**body), actor)
            ),
        }

    def donations(self) -> dict[str, Callable[..., Answer]]:
        service, actor = self.container.donations, self.actor
        return {
            "open_store": lambda body: answered(service.open_store(OpenStore(**body), actor)),
            "declare_appeal": lambda code, body: answered(
                service.declare_appeal(appeal_command(code, body), actor)
            ),
            "register_donor": lambda body: answered(
                service.register_donor(RegisterDonor(**body), actor)
            ),
            "record_cash": lambda body: answered(service.record_cash(cash_command(body), actor)),
            "record_in_kind": lambda body: answered(
                service.record_in_kind(in_kind_command(body), actor)
            ),
            "correct_valuation": lambda donor, receipt, line, body: answered(
                service.correct_valuation(
                    donation_id(donor, receipt).hex, correction(int(line), body), actor
                )
            ),
            "dispatch_goods": lambda store, body: answered(
                service.dispatch(store, dispatch_command(body), actor).outcome
            ),
            "acknowledge_dispatch": lambda store, number, body: answered(
                service.acknowledge(store, number, AcknowledgeDispatch(**body), actor)
            ),
            "send_shipment": lambda body: answered(
                service.send_shipment(shipment_command(body), actor)
            ),
        }


def appeal_command(code: str, body: dict[str, Any]) -> DeclareAppeal:
    declared = centimes(body["declared_total_mad"]) or 0
    return DeclareAppeal(code, body["name"], declared, body["source"])


def cash_command(body: dict[str, Any]) -> RecordCash:
    fields = {k: v for k, v in body.items() if k != "amount_mad"}
    return RecordCash(**fields, amount_centimes=centimes(body["amount_mad"]) or 0)


def in_kind_command(body: dict[str, Any]) -> RecordInKind:
    lines = [
        GiftLine(
            item=line["item"],
            category=line["category"],
            description=line["description"],
            quantity=line["quantity"],
            unit=line["unit"],
            value_centimes=centimes(line["value_mad"]),
        )
        for line in body["lines"]
    ]
    fields = {k: v for k, v in body.items() if k != "lines"}
    return RecordInKind(**fields, lines=lines)


def correction(line: int, body: dict[str, Any]) -> CorrectValuation:
    return CorrectValuation(line, centimes(body["value_mad"]) or 0, body["reason"])


def dispatch_command(body: dict[str, Any]) -> DispatchGoods:
    fields = {k: v for k, v in body.items() if k != "lines"}
    return DispatchGoods(**fields, lines=[DispatchLine(**line) for line in body["lines"]])


def shipment_command(body: dict[str, Any]) -> SendShipment:
    fields = {k: v for k, v in body.items() if k != "items"}
    return SendShipment(**fields, items=[ShipmentItem(**item) for item in body["items"]])
