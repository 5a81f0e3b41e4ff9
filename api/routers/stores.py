"""Store and shipment routes: goods on hand, dispatches to institutions, relief abroad."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.answers import command_answer
from api.deps import ActorDep, ContainerDep, VisibilityDep
from api.presenters.donations import shipment_public, store_public
from api.schemas.common import CommandPublic
from api.schemas.donations import (
    AcknowledgementCreate,
    DispatchCreate,
    ShipmentCreate,
    ShipmentPublic,
    StoreCreate,
    StorePublic,
)
from api.schemas.paths import ClientIdPath, SlugPath
from api.statuses import HELD
from domain.donations.amounts import mad_text
from domain.donations.commands import (
    AcknowledgeDispatch,
    DispatchGoods,
    DispatchLine,
    OpenStore,
    SendShipment,
    ShipmentItem,
)

router = APIRouter(tags=["donations"])


@router.post("/v1/stores", status_code=201, response_model=CommandPublic)
def open_store(
    body: StoreCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Open a named store that in-kind gifts are received into."""
    outcome = container.donations.open_store(
        OpenStore(code=body.code, name=body.name, city=body.city), actor
    )
    return command_answer(outcome, visibility, response)


@router.get("/v1/stores/{store}", response_model=StorePublic)
def get_store(store: SlugPath, container: ContainerDep, actor: ActorDep) -> StorePublic:
    """Show a store's stock on hand per item and its dispatches, from its own events."""
    container.donations.check_reader(actor)
    return store_public(container.donations.store(store), container.donations)


@router.post(
    "/v1/stores/{store}/dispatches", status_code=201, response_model=CommandPublic, responses=HELD
)
def dispatch(
    store: SlugPath,
    body: DispatchCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Dispatch goods to a hospital or care centre; never more than the store holds."""
    answer = container.donations.dispatch(
        store,
        DispatchGoods(
            dispatch=body.dispatch,
            recipient=body.recipient,
            recipient_kind=body.recipient_kind,
            recipient_name=body.recipient_name,
            dispatched_at=body.dispatched_at,
            lines=[DispatchLine(item=line.item, quantity=line.quantity) for line in body.lines],
        ),
        actor,
    )
    public = command_answer(answer.outcome, visibility, response)
    public.detail = {
        "dispatch": body.dispatch,
        "value_mad": mad_text(answer.value_centimes),
        "unvalued_lines": answer.unvalued_lines,
    }
    return public


@router.post(
    "/v1/stores/{store}/dispatches/{dispatch}/acknowledgement",
    status_code=201,
    response_model=CommandPublic,
)
def acknowledge(
    store: SlugPath,
    dispatch: ClientIdPath,
    body: AcknowledgementCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Record the recipient's acknowledgement that the dispatched goods arrived."""
    outcome = container.donations.acknowledge(
        store,
        dispatch,
        AcknowledgeDispatch(received_at=body.received_at, reference=body.reference, note=body.note),
        actor,
    )
    return command_answer(outcome, visibility, response)


@router.post("/v1/shipments", status_code=201, response_model=CommandPublic)
def send_shipment(
    body: ShipmentCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Record a relief shipment abroad: destination and items by tonnage."""
    outcome = container.donations.send_shipment(
        SendShipment(
            code=body.code,
            destination_country=body.destination_country,
            destination=body.destination,
            departed_at=body.departed_at,
            appeal=body.appeal,
            items=[
                ShipmentItem(category=i.category, description=i.description, tonnes=i.tonnes)
                for i in body.items
            ],
        ),
        actor,
    )
    return command_answer(outcome, visibility, response)


@router.get("/v1/shipments/{shipment}", response_model=ShipmentPublic)
def get_shipment(shipment: SlugPath, container: ContainerDep, actor: ActorDep) -> ShipmentPublic:
    """Show a relief shipment: destination, items, total tonnage and kinds of goods."""
    container.donations.check_reader(actor)
    return shipment_public(container.donations.shipment(shipment))
