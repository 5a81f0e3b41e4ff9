"""Distribution routes: schema in, command to the service, schema out."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response, status

from api.answers import batch_answer, command_answer
from api.deps import ActorDep, ContainerDep, ViewReaderDep, VisibilityDep
from api.schemas.common import CommandPublic, ErrorPublic, centimes, mad
from api.schemas.distribution import (
    CampaignCreate,
    CampaignPublic,
    CampaignSummaryPublic,
    CampaignTotalsPublic,
    ClosureCreate,
    CommitteeCreate,
    ContactPublic,
    DeliveryBatchCreate,
    DeliveryBatchPublic,
    DeliveryPublic,
    QuotaCreate,
    ReversalCreate,
    StockCreate,
)
from api.schemas.paths import ClientIdPath, ProvincePath, SlugPath
from domain.distribution.commands import (
    DispatchKits,
    LaunchCampaign,
    RecordDelivery,
    RegisterCommittee,
)
from domain.distribution.service import delivery_record
from projections.distribution import VIEW
from projections.distribution_report import campaign_totals

router = APIRouter(prefix="/v1/campaigns", tags=["distribution"])


@router.post("", status_code=201, response_model=CommandPublic)
def launch_campaign(
    body: CampaignCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Launch a distribution campaign (dates, target households, budget, kit contents)."""
    outcome = container.distribution.launch_campaign(
        LaunchCampaign(
            slug=body.slug,
            name=body.name,
            starts_on=body.starts_on,
            ends_on=body.ends_on,
            target_households=body.target_households,
            budget_centimes=centimes(body.budget_mad),
            kit_contents=[item.model_dump(mode="json") for item in body.kit_contents],
            admission=body.admission,
        ),
        actor,
    )
    return command_answer(outcome, visibility, response)


@router.get("", response_model=list[CampaignSummaryPublic])
def list_campaigns(container: ContainerDep, actor: ActorDep) -> list[CampaignSummaryPublic]:
    """Every campaign the totals know, newest first."""
    found = container.views.labels_by_scope(VIEW, "campaign")
    summaries = [CampaignSummaryPublic(slug=slug, **labels) for slug, labels in found.items()]
    return sorted(summaries, key=lambda c: (c.starts_on or date.min, c.slug), reverse=True)


@router.get("/{campaign}", response_model=CampaignPublic)
def get_campaign(campaign: SlugPath, container: ContainerDep, actor: ActorDep) -> CampaignPublic:
    """Show a campaign as its own events define it now."""
    found = container.distribution.campaign(campaign)
    return CampaignPublic(
        slug=found.slug,
        name=found.name,
        starts_on=found.starts_on,
        ends_on=found.ends_on,
        target_households=found.target_households,
        budget_mad=mad(found.budget_centimes),
        kit_contents=found.kit_contents,
        quotas=dict(sorted(found.quotas.items())),
        closed=found.closed,
        admission=found.admission,
    )


@router.put("/{campaign}/quotas/{province}", response_model=CommandPublic)
def set_quota(
    campaign: SlugPath,
    province: ProvincePath,
    body: QuotaCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Set how many households a province may serve in the campaign."""
    outcome = container.distribution.set_quota(campaign, province, body.households, actor)
    return command_answer(outcome, visibility, response, status.HTTP_200_OK)


@router.post("/{campaign}/committees", status_code=201, response_model=CommandPublic)
def register_committee(
    campaign: SlugPath,
    body: CommitteeCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Register a local committee in a province (and commune) for the campaign."""
    outcome = container.distribution.register_committee(
        campaign,
        RegisterCommittee(
            code=body.code, name=body.name, province=body.province, commune=body.commune
        ),
        actor,
    )
    return command_answer(outcome, visibility, response)


@router.post(
    "/{campaign}/committees/{committee}/stock", status_code=201, response_model=CommandPublic
)
def receive_stock(
    campaign: SlugPath,
    committee: SlugPath,
    body: StockCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Record kits dispatched to a committee, within its province's quota."""
    outcome = container.distribution.dispatch_kits(
        campaign,
        DispatchKits(committee=committee, quantity=body.quantity, reference=body.reference),
        actor,
    )
    return command_answer(outcome, visibility, response)


@router.post("/{campaign}/deliveries", response_model=DeliveryBatchPublic)
def record_deliveries(
    campaign: SlugPath,
    body: DeliveryBatchCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
) -> DeliveryBatchPublic:
    """Record a batch of 1 to 1,000 kit deliveries, with an answer per item."""
    outcome = container.distribution.record_deliveries(
        campaign,
        [
            RecordDelivery(
                delivery_id=i.delivery_id,
                committee=i.committee,
                household=i.household or "",
                household_size=i.household_size,
                delivered_at=i.delivered_at,
                contact=i.contact.fields() if i.contact else None,
                voucher=i.voucher,
                off_list_reason=i.off_list_reason,
            )
            for i in body.items
        ],
        actor,
    )
    return batch_answer(outcome, visibility, DeliveryBatchPublic, "delivery_id")


@router.post(
    "/{campaign}/deliveries/{delivery_id}/reversal",
    status_code=201,
    response_model=CommandPublic,
    responses={
        403: {"model": ErrorPublic, "description": "not this committee's token"},
        404: {"model": ErrorPublic, "description": "no such campaign or delivery"},
        409: {
            "model": ErrorPublic,
            "description": "already reversed, superseded, or the campaign is closed (only an "
            "admin corrects closed books, and the totals show it in after_closure)",
        },
    },
)
def reverse_delivery(
    campaign: SlugPath,
    delivery_id: ClientIdPath,
    body: ReversalCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Reverse a recorded delivery, saying why; the kit returns to the committee's stock.

    A resent reversal (the delivery is already reversed) is 200 ``unchanged``.
    """
    outcome = container.distribution.reverse_delivery(campaign, delivery_id, body.reason, actor)
    return command_answer(outcome, visibility, response)


@router.post("/{campaign}/closure", status_code=201, response_model=CommandPublic)
def close_campaign(
    campaign: SlugPath,
    body: ClosureCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Close the campaign: no delivery, stock or quota is accepted afterwards."""
    outcome = container.distribution.close_campaign(campaign, body.reason, actor)
    return command_answer(outcome, visibility, response)


@router.get("/{campaign}/deliveries/{delivery_id}", response_model=DeliveryPublic)
def get_delivery(
    campaign: SlugPath, delivery_id: ClientIdPath, container: ContainerDep, actor: ActorDep
) -> DeliveryPublic:
    """One delivery with its contact decrypted (admin, auditor); every read is logged."""
    household = container.distribution.delivery(campaign, delivery_id, actor)
    contact, contact_status = None, "none"
    if household.contact:
        revealed = container.personal.reveal(
            household.contact, delivery_record(campaign, delivery_id), actor.name
        )
        contact_status = "erased" if revealed.erased else "shown"
        contact = ContactPublic(**revealed.fields) if revealed.fields else None
    return DeliveryPublic(
        campaign=campaign,
        delivery_id=delivery_id,
        committee=household.committee,
        province=household.province,
        household_size=household.household_size,
        delivered_at=household.delivered_at,
        reversed=household.reversed,
        contact_status=contact_status,
        contact=contact,
    )


@router.get("/{campaign}/totals", response_model=CampaignTotalsPublic)
def totals(
    campaign: SlugPath, container: ContainerDep, actor: ActorDep, reader: ViewReaderDep
) -> CampaignTotalsPublic:
    """Households served, people reached and kits in stock against target and quotas."""
    container.distribution.campaign(campaign)
    rows = reader.read(VIEW, campaign)
    report = campaign_totals(campaign, rows.table)
    report["budget_mad"] = mad(report.pop("budget_centimes"))
    return CampaignTotalsPublic(
        position=rows.position, as_of=rows.as_of, as_of_checkpoint=rows.checkpoint, **report
    )
