"""Donation routes: donors, cash and in-kind gifts, valuation corrections, appeals, totals."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from api.answers import command_answer
from api.deps import ActorDep, ContainerDep, ViewReaderDep, VisibilityDep
from api.presenters.donations import donation_public
from api.schemas.amounts import Money
from api.schemas.common import CommandPublic, Count, centimes
from api.schemas.donation_totals import DonationTotalsPublic
from api.schemas.donations import (
    AppealCreate,
    CashCreate,
    DonationPublic,
    DonorCreate,
    DonorPublic,
    InKindCreate,
    ValuationCorrectionCreate,
)
from api.schemas.paths import DonationPath, SlugPath
from api.statuses import HELD
from domain.donations.cash import donation_id
from domain.donations.commands import (
    CorrectValuation,
    DeclareAppeal,
    GiftLine,
    RecordCash,
    RecordInKind,
    RegisterDonor,
)
from domain.donations.vocabulary import DonorKind
from projections.donations import ALL, VIEW
from projections.donations_report import donation_totals

router = APIRouter(tags=["donations"])


def _optional_centimes(amount: Decimal | None) -> int | None:
    return None if amount is None else centimes(amount)


@router.post("/v1/donors", status_code=201, response_model=CommandPublic)
def register_donor(
    body: DonorCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Register a donor (company, association, or private donor kept anonymous) by its code."""
    outcome = container.donations.register_donor(
        RegisterDonor(code=body.code, kind=body.kind, name=body.name), actor
    )
    return command_answer(outcome, visibility, response)


@router.get("/v1/donors/{donor}", response_model=DonorPublic)
def get_donor(donor: SlugPath, container: ContainerDep, actor: ActorDep) -> DonorPublic:
    """Show a donor as its registration recorded it."""
    container.donations.check_reader(actor)
    found = container.donations.donor(donor)
    anonymous = found.kind == DonorKind.INDIVIDUAL
    return DonorPublic(
        code=found.code, kind=found.kind, name=found.display_name, anonymous=anonymous
    )


@router.post("/v1/donations/cash", status_code=201, response_model=CommandPublic)
def record_cash(
    body: CashCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Record cash received from a donor or paid out to a fund, exact to the centime."""
    outcome = container.donations.record_cash(
        RecordCash(
            donor=body.donor,
            receipt=body.receipt,
            direction=body.direction,
            amount_centimes=centimes(body.amount_mad),
            fund=body.fund,
            occurred_at=body.occurred_at,
        ),
        actor,
    )
    answer = command_answer(outcome, visibility, response)
    answer.detail = {"donation": donation_id(body.donor, body.receipt).hex}
    return answer


@router.post("/v1/donations/in-kind", status_code=201, response_model=CommandPublic, responses=HELD)
def record_in_kind(
    body: InKindCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Record goods given in kind, line by line, received into a store."""
    lines = [
        GiftLine(
            item=line.item,
            category=line.category,
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            value_centimes=_optional_centimes(line.value_mad),
        )
        for line in body.lines
    ]
    outcome = container.donations.record_in_kind(
        RecordInKind(
            donor=body.donor,
            receipt=body.receipt,
            store=body.store,
            received_at=body.received_at,
            lines=lines,
            appeal=body.appeal,
        ),
        actor,
    )
    answer = command_answer(outcome, visibility, response)
    answer.detail = {"donation": donation_id(body.donor, body.receipt).hex}
    return answer


@router.get("/v1/donations/totals", response_model=DonationTotalsPublic)
def totals(
    container: ContainerDep,
    actor: ActorDep,
    reader: ViewReaderDep,
    appeal: Annotated[
        str | None, Query(description="reconcile only this appeal's lines, against its total")
    ] = None,
    declared_mad: Annotated[
        Money | None, Query(description="a declared total to reconcile")
    ] = None,
) -> DonationTotalsPublic:
    """Gifts by donor, category, month and fund; stock; dispatches; shipments; reconciliation."""
    container.donations.check_reader(actor)
    if appeal is not None:
        container.donations.appeal(appeal)
    rows = reader.read(VIEW, ALL)
    report = donation_totals(rows.table, appeal, _optional_centimes(declared_mad))
    return DonationTotalsPublic(
        position=rows.position, as_of=rows.as_of, as_of_checkpoint=rows.checkpoint, **report
    )


@router.get("/v1/donations/{donation}", response_model=DonationPublic)
def get_donation(
    donation: DonationPath, container: ContainerDep, actor: ActorDep
) -> DonationPublic:
    """Show a gift: declared values as first recorded, current values, and every correction."""
    container.donations.check_reader(actor)
    found = container.donations.donation(donation)
    return donation_public(found, container.donations)


@router.post(
    "/v1/donations/{donation}/lines/{line}/valuation-corrections",
    status_code=201,
    response_model=CommandPublic,
)
def correct_valuation(
    donation: DonationPath,
    line: Annotated[Count, Path(description="the line's number on the gift, from 1")],
    body: ValuationCorrectionCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Correct (or first set) the value of one gift line, saying why; the original stays."""
    outcome = container.donations.correct_valuation(
        donation,
        CorrectValuation(line=line, value_centimes=centimes(body.value_mad), reason=body.reason),
        actor,
    )
    return command_answer(outcome, visibility, response)


@router.put("/v1/appeals/{appeal}", response_model=CommandPublic)
def declare_appeal(
    appeal: SlugPath,
    body: AppealCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Open an appeal and record the total it declares, to reconcile its gifts against."""
    outcome = container.donations.declare_appeal(
        DeclareAppeal(
            code=appeal,
            name=body.name,
            declared_centimes=centimes(body.declared_total_mad),
            source=body.source,
        ),
        actor,
    )
    return command_answer(outcome, visibility, response, status.HTTP_200_OK)
