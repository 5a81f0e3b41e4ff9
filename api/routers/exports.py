"""Partners' exports: the totals as CSV, with an HXL hashtag row on request."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from api.deps import ActorDep, ContainerDep
from domain.clock import local_day, utc_now
from projections import distribution_hxl
from projections.distribution import VIEW
from projections.distribution_report import campaign_totals

router = APIRouter(tags=["exports"])

HxlQuery = Annotated[bool, Query(description="add the HXL hashtag row under the headers")]
LevelQuery = Annotated[
    Literal["province", "region"], Query(description="one row per province (adm2) or region")
]


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
    responses={200: {"content": {"text/csv": {}}}},
)
def campaign_totals_csv(
    campaign: str,
    container: ContainerDep,
    actor: ActorDep,
    hxl: HxlQuery = False,
    level: LevelQuery = "province",
) -> Response:
    """Households targeted and reached by province or region, as CSV (HXL with ?hxl=1)."""
    container.distribution.campaign(campaign)
    totals = campaign_totals(campaign, container.views.table(VIEW, campaign))
    rows = distribution_hxl.export(
        totals, level, container.settings.organisation, local_day(utc_now()), hxl
    )
    suffix = "-hxl" if hxl else ""
    return csv_response(rows, f"{campaign}-totals-{level}{suffix}.csv")
