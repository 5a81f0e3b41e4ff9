"""Partners' exports: the totals as CSV, with an HXL hashtag row on request."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from api.deps import ActorDep, ContainerDep, ViewReader, ViewReaderDep
from api.schemas.paths import SlugPath
from domain.clock import local_day, utc_now
from projections import (
    distribution,
    distribution_hxl,
    donations,
    donations_hxl,
    marhaba,
    marhaba_hxl,
)
from projections.distribution_report import campaign_totals
from projections.donations_report import donation_totals
from projections.marhaba_report import operation_totals, site_days

router = APIRouter(tags=["exports"])

HxlQuery = Annotated[bool, Query(description="add the HXL hashtag row under the headers")]
LevelQuery = Annotated[
    Literal["province", "region"], Query(description="one row per province (adm2) or region")
]


MarhabaByQuery = Annotated[
    Literal["site_day", "site", "day"],
    Query(description="one row per site and day, per site, or per day (all sites)"),
]
DonationsByQuery = Annotated[
    Literal["month", "recipient"],
    Query(description="gifts by month and kind of donor, or goods dispatched by recipient"),
]
CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}


def reported_on(reader: ViewReader) -> date:
    """The day the figures stand for: today, or the as-of instant's day."""
    return local_day(reader.as_of or utc_now())


def csv_response(rows: list[list[str]], filename: str) -> Response:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/v1/campaigns/{campaign}/totals.csv",
    response_class=Response,
    responses=CSV,
)
def campaign_totals_csv(
    campaign: SlugPath,
    container: ContainerDep,
    actor: ActorDep,
    reader: ViewReaderDep,
    hxl: HxlQuery = False,
    level: LevelQuery = "province",
) -> Response:
    """Households targeted and reached by province or region, as CSV (HXL with ?hxl=1)."""
    container.distribution.campaign(campaign)
    totals = campaign_totals(campaign, reader.read(distribution.VIEW, campaign).table)
    rows = distribution_hxl.export(
        totals, level, container.settings.organisation, reported_on(reader), hxl
    )
    suffix = "-hxl" if hxl else ""
    return csv_response(rows, f"{campaign}-totals-{level}{suffix}.csv")


@router.get("/v1/operations/{operation}/totals.csv", response_class=Response, responses=CSV)
def operation_totals_csv(
    operation: SlugPath,
    container: ContainerDep,
    actor: ActorDep,
    reader: ViewReaderDep,
    hxl: HxlQuery = False,
    by: MarhabaByQuery = "site_day",
) -> Response:
    """Arrivals, departures and people assisted by site and day, as CSV (HXL with ?hxl=1)."""
    container.marhaba.operation(operation)
    table = reader.read(marhaba.VIEW, operation).table
    rows = marhaba_hxl.export(
        operation_totals(operation, table),
        site_days(table),
        by,
        container.settings.organisation,
        reported_on(reader),
        hxl,
    )
    return csv_response(rows, f"{operation}-totals-{by}{'-hxl' if hxl else ''}.csv")


@router.get("/v1/donations/totals.csv", response_class=Response, responses=CSV)
def donation_totals_csv(
    container: ContainerDep,
    actor: ActorDep,
    reader: ViewReaderDep,
    hxl: HxlQuery = False,
    by: DonationsByQuery = "month",
) -> Response:
    """Gifts by month and kind of donor, or by recipient, in MAD, as CSV (HXL with ?hxl=1)."""
    container.donations.check_reader(actor)
    table = reader.read(donations.VIEW, donations.ALL).table
    rows = donations_hxl.export(
        table,
        donation_totals(table),
        by,
        container.settings.organisation,
        reported_on(reader),
        hxl,
    )
    return csv_response(rows, f"donations-totals-{by}{'-hxl' if hxl else ''}.csv")
