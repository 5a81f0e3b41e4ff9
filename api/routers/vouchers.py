"""A committee's printable voucher sheet: the page, and the entries it prints."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from adapters.voucher_sheet import sheet_entries
from api.deps import ActorDep, ContainerDep
from api.routers.dashboard import PAGE_HEADERS, STATIC_DIR
from api.schemas.lists import ERRORS
from api.schemas.paths import SlugPath

router = APIRouter(tags=["lists"])


class SheetEntryPublic(BaseModel):
    voucher: str
    printed: str = Field(description="the code as printed, in two groups")
    household_size: int
    qr: str = Field(description="the code's QR as an SVG data URI")


class VoucherSheetPublic(BaseModel):
    campaign: SlugPath
    committee: SlugPath
    committee_name: str
    entries: list[SheetEntryPublic]


@router.get("/vouchers", include_in_schema=False)
def sheet_page() -> FileResponse:
    """The printable sheet (A4, three languages): #campaign=…&committee=…&token=…"""
    return FileResponse(STATIC_DIR / "vouchers.html", headers=PAGE_HEADERS)


@router.get(
    "/v1/campaigns/{campaign}/committees/{committee}/vouchers",
    response_model=VoucherSheetPublic,
    responses=ERRORS,
)
def voucher_sheet(
    campaign: SlugPath, committee: SlugPath, container: ContainerDep, actor: ActorDep
) -> VoucherSheetPublic:
    """Each listed household's voucher, for the committee, an admin or the province's registrar."""
    found = container.lists.check_sheet_reader(campaign, committee, actor)
    entries = sheet_entries(container.list_entries, campaign, committee)
    return VoucherSheetPublic(
        campaign=campaign,
        committee=committee,
        committee_name=found.name,
        entries=[
            SheetEntryPublic(
                voucher=e.voucher, printed=e.printed, household_size=e.household_size, qr=e.qr
            )
            for e in entries
        ],
    )
