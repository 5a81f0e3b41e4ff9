"""Marhaba operations and their reception sites: schema in, command to the service, schema out."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response

from api.answers import command_answer
from api.deps import ActorDep, ContainerDep, ViewReaderDep, VisibilityDep
from api.schemas.common import CommandPublic
from api.schemas.marhaba import (
    OperationClosureCreate,
    OperationCreate,
    OperationPublic,
    OperationSummaryPublic,
    OperationTotalsPublic,
    SiteClosureCreate,
    SiteCreate,
    SitePublic,
)
from api.schemas.paths import SlugPath
from domain.marhaba.commands import LaunchOperation, RegisterSite
from projections.marhaba import VIEW
from projections.marhaba_report import operation_totals

router = APIRouter(prefix="/v1/operations", tags=["marhaba"])


@router.post("", status_code=201, response_model=CommandPublic)
def launch_operation(
    body: OperationCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Launch a Marhaba operation with the dates every record must fall within."""
    outcome = container.marhaba.launch_operation(
        LaunchOperation(
            slug=body.slug, name=body.name, starts_on=body.starts_on, ends_on=body.ends_on
        ),
        actor,
    )
    return command_answer(outcome, visibility, response)


@router.get("", response_model=list[OperationSummaryPublic])
def list_operations(container: ContainerDep, actor: ActorDep) -> list[OperationSummaryPublic]:
    """Every Marhaba operation the totals know, newest first."""
    found = container.views.labels_by_scope(VIEW, "operation")
    summaries = [OperationSummaryPublic(slug=slug, **labels) for slug, labels in found.items()]
    return sorted(summaries, key=lambda o: (o.starts_on or date.min, o.slug), reverse=True)


@router.get("/{operation}", response_model=OperationPublic)
def get_operation(operation: SlugPath, container: ContainerDep, actor: ActorDep) -> OperationPublic:
    """Show an operation and its sites as their own events define them now."""
    found = container.marhaba.operation(operation)
    return OperationPublic(
        slug=found.slug,
        name=found.name,
        starts_on=found.starts_on,
        ends_on=found.ends_on,
        closed=found.closed,
        sites=[
            SitePublic(
                code=site.code,
                name=site.name,
                kind=site.kind,
                city=site.city,
                country=site.country,
                opens_on=site.opens_on,
                closes_on=site.closes_on,
                province=site.province,
                region=site.region,
                closed=site.closed,
            )
            for site in container.marhaba.sites(operation)
        ],
    )


@router.post("/{operation}/closure", status_code=201, response_model=CommandPublic)
def close_operation(
    operation: SlugPath,
    body: OperationClosureCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Close the operation: no movement or case is recorded afterwards."""
    outcome = container.marhaba.close_operation(operation, body.reason, actor)
    return command_answer(outcome, visibility, response)


@router.post("/{operation}/sites", status_code=201, response_model=CommandPublic)
def register_site(
    operation: SlugPath,
    body: SiteCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Register a reception site (port, airport, land border or abroad) and its open days."""
    outcome = container.marhaba.register_site(
        operation,
        RegisterSite(
            code=body.code,
            name=body.name,
            kind=body.kind.value,
            city=body.city,
            country=body.country,
            opens_on=body.opens_on,
            closes_on=body.closes_on,
            province=body.province,
        ),
        actor,
    )
    return command_answer(outcome, visibility, response)


@router.post("/{operation}/sites/{site}/closure", status_code=201, response_model=CommandPublic)
def close_site(
    operation: SlugPath,
    site: SlugPath,
    body: SiteClosureCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Close a site: it records no new movement or case; open cases may still be closed."""
    outcome = container.marhaba.close_site(operation, site, body.reason, actor)
    return command_answer(outcome, visibility, response)


@router.get("/{operation}/totals", response_model=OperationTotalsPublic)
def totals(
    operation: SlugPath, container: ContainerDep, actor: ActorDep, reader: ViewReaderDep
) -> OperationTotalsPublic:
    """Arrivals, departures, people assisted and cases, by site, day, mode and category."""
    container.marhaba.operation(operation)
    rows = reader.read(VIEW, operation)
    report = operation_totals(operation, rows.table)
    return OperationTotalsPublic(
        position=rows.position, as_of=rows.as_of, as_of_checkpoint=rows.checkpoint, **report
    )
