"""Spreadsheet imports: a CSV file in, an answer per row out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from adapters.bootstrap import Container
from adapters.spreadsheets.importer import ImportReport
from adapters.spreadsheets.sheet import UnreadableInputError
from api.deps import ActorDep, ContainerDep, Visibility, VisibilityDep
from api.schemas.field import ImportPublic, ImportRowPublic, ProblemPublic
from api.schemas.paths import SlugPath
from domain.actors import Actor
from domain.outcomes import BatchMode
from projections.donations import ALL

router = APIRouter(tags=["field tools"])

CSV_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        },
        "required": True,
    }
}
DryRunQuery = Annotated[
    bool, Query(description="check every row against the ledger; record nothing")
]
AllQuery = Annotated[
    bool, Query(description="record nothing unless every row can be recorded (one transaction)")
]


def batch_mode(dry_run: bool, all_or_nothing: bool) -> BatchMode:
    if dry_run:
        return BatchMode.DRY_RUN
    return BatchMode.ALL_OR_NOTHING if all_or_nothing else BatchMode.RECORD


async def uploaded(request: Request) -> bytes:
    """The CSV file: a multipart upload's ``file`` field, or the whole body (text/csv)."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise UnreadableInputError([("file", "send the CSV file in a form field named 'file'")])
        return await upload.read()
    return await request.body()


def import_answer(report: ImportReport, visibility: Visibility) -> ImportPublic:
    position = visibility.position(report.position, report.originals)
    items = [
        ImportRowPublic(
            row=r.row,
            id=r.item_id,
            status=r.status,
            problems=[
                ProblemPublic(row=r.row, column=p.column, value=p.value, reason=p.reason)
                for p in r.problems
            ],
            original=r.original,
        )
        for r in report.rows
    ]
    return ImportPublic(
        kind=report.kind,
        scope=report.scope,
        mode=report.mode.value,
        committed=report.committed,
        position=position,
        visible=visibility.of(position),
        rows=len(report.rows),
        recorded=report.count("recorded"),
        valid=report.count("valid"),
        duplicate=report.count("duplicate"),
        rejected=report.count("rejected"),
        errors=[p for item in items for p in item.problems],
        items=items,
    )


async def run_import(
    kind: str,
    scope: str,
    request: Request,
    container: Container,
    actor: Actor,
    visibility: Visibility,
    mode: BatchMode,
    constants: dict[str, str] | None = None,
) -> ImportPublic:
    """What every import route does: read the file, import it off the event loop, answer."""
    data = await uploaded(request)
    report = await run_in_threadpool(
        container.imports.run, kind, scope, data, actor, mode, None, constants
    )
    return await run_in_threadpool(import_answer, report, visibility)


@router.post(
    "/v1/campaigns/{campaign}/deliveries/import",
    response_model=ImportPublic,
    openapi_extra=CSV_BODY,
)
async def import_deliveries(
    campaign: SlugPath,
    request: Request,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    dry_run: DryRunQuery = False,
    all_or_nothing: AllQuery = False,
) -> ImportPublic:
    """Import deliveries from a CSV file as Excel or LibreOffice save it; an answer per row."""
    mode = batch_mode(dry_run, all_or_nothing)
    return await run_import("deliveries", campaign, request, container, actor, visibility, mode)


@router.post(
    "/v1/campaigns/{campaign}/enrolments/import",
    response_model=ImportPublic,
    openapi_extra=CSV_BODY,
)
async def import_enrolments(
    campaign: SlugPath,
    request: Request,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    dry_run: DryRunQuery = False,
    all_or_nothing: AllQuery = False,
) -> ImportPublic:
    """Import households onto committees' lists from a CSV file; an answer per row."""
    mode = batch_mode(dry_run, all_or_nothing)
    return await run_import("enrolments", campaign, request, container, actor, visibility, mode)


@router.post(
    "/v1/operations/{operation}/sites/{site}/movements/import",
    response_model=ImportPublic,
    openapi_extra=CSV_BODY,
)
async def import_movements(
    operation: SlugPath,
    site: SlugPath,
    request: Request,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    dry_run: DryRunQuery = False,
    all_or_nothing: AllQuery = False,
) -> ImportPublic:
    """Import a site's passenger movements from a CSV file (no site column needed)."""
    mode = batch_mode(dry_run, all_or_nothing)
    shared = {"site": site}
    return await run_import(
        "movements", operation, request, container, actor, visibility, mode, shared
    )


@router.post("/v1/donations/in-kind/import", response_model=ImportPublic, openapi_extra=CSV_BODY)
async def import_in_kind(
    request: Request,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    dry_run: DryRunQuery = False,
    all_or_nothing: AllQuery = False,
) -> ImportPublic:
    """Import in-kind gifts line by line from a CSV file; rows of one receipt are one gift."""
    mode = batch_mode(dry_run, all_or_nothing)
    return await run_import("donation_lines", ALL, request, container, actor, visibility, mode)
