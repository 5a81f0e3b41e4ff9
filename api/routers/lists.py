"""List routes: enrolment in batches, voucher changes, a committee's list for its phone."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable

from fastapi import APIRouter, Header, Query, Response, status
from fastapi.types import DecoratedCallable

from api.answers import batch_answer, command_answer
from api.deps import ActorDep, ContainerDep, VisibilityDep
from api.schemas.common import INT64_MAX, CommandPublic
from api.schemas.lists import (
    ERRORS,
    CommitteeListPublic,
    EnrolmentBatchCreate,
    EnrolmentBatchPublic,
    MoveCreate,
    ReasonCreate,
    ReissuePublic,
)
from api.schemas.paths import SlugPath, VoucherPath
from domain.distribution.enrolling import EnrolHousehold

router = APIRouter(prefix="/v1/campaigns", tags=["lists"])
GZIP_FROM_BYTES = 1024  # smaller answers are not worth compressing


@router.post("/{campaign}/enrolments", response_model=EnrolmentBatchPublic, responses=ERRORS)
def enrol(
    campaign: SlugPath,
    body: EnrolmentBatchCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
) -> EnrolmentBatchPublic:
    """Put 1 to 1,000 households on committees' lists; each answer carries its voucher."""
    items = [
        EnrolHousehold(i.household, i.committee, i.household_size, i.commune) for i in body.items
    ]
    outcome = container.lists.enrol(campaign, items, actor)
    return batch_answer(outcome, visibility, EnrolmentBatchPublic, "voucher")


def voucher_change(
    action: str, unchanged: str | None = None, model: type = CommandPublic
) -> Callable[[DecoratedCallable], DecoratedCallable]:
    """The route of one change to a voucher's household: POST .../vouchers/{voucher}/{action},
    201 when recorded, 200 (``unchanged`` says when) for a resend."""
    responses = {200: {"description": unchanged}, **ERRORS} if unchanged else ERRORS
    return router.post(
        f"/{{campaign}}/vouchers/{{voucher}}/{action}",
        status_code=201,
        response_model=model,
        responses=responses,
    )


@voucher_change("move", "already on that committee's list")
def move(
    campaign: SlugPath,
    voucher: VoucherPath,
    body: MoveCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Move a listed household to another committee's list (same voucher)."""
    outcome = container.lists.move(campaign, voucher, body.committee, actor)
    return command_answer(outcome, visibility, response)


@voucher_change("delisting", "already delisted")
def delist(
    campaign: SlugPath,
    voucher: VoucherPath,
    body: ReasonCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Take a household off the lists, saying why (refused once it is served)."""
    outcome = container.lists.delist(campaign, voucher, body.reason, actor)
    return command_answer(outcome, visibility, response)


@voucher_change("reissue", model=ReissuePublic)
def reissue(
    campaign: SlugPath,
    voucher: VoucherPath,
    body: ReasonCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> ReissuePublic:
    """Revoke a voucher and give its household a new code."""
    outcome, code = container.lists.reissue(campaign, voucher, body.reason, actor)
    answer = command_answer(outcome, visibility, response)
    return ReissuePublic(**answer.model_dump(exclude={"detail"}), voucher=code)


@router.get(
    "/{campaign}/committees/{committee}/list",
    response_model=CommitteeListPublic,
    responses={304: {"description": "unchanged since the ETag sent"}, **ERRORS},
)
def committee_list(
    campaign: SlugPath,
    committee: SlugPath,
    container: ContainerDep,
    actor: ActorDep,
    since: int = Query(
        0, ge=0, le=INT64_MAX, description="a position from an earlier answer: changes only"
    ),
    if_none_match: str | None = Header(None),
    accept_encoding: str = Header(""),
) -> Response:
    """A committee's list for its phone: voucher, household size, served by which delivery."""
    container.lists.check_reader(campaign, committee, actor)
    page = container.list_entries.page(campaign, committee, since)
    etag = f'"{page.changed_at}-{since}"'
    headers = {"ETag": etag, "Vary": "Accept-Encoding", "Cache-Control": "private, no-cache"}
    if if_none_match == etag:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    answer = CommitteeListPublic(
        campaign=campaign, committee=committee, position=page.position, since=since,
        entries=page.entries, removed=page.removed,
    )  # fmt: skip
    body = json.dumps(answer.model_dump(), separators=(",", ":")).encode()
    if "gzip" in accept_encoding and len(body) >= GZIP_FROM_BYTES:
        body, headers["Content-Encoding"] = gzip.compress(body, 6), "gzip"
    return Response(body, media_type="application/json", headers=headers)
